"""Character repair: ftfy's own cases, the misreadings ftfy cannot undo, and text that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.clean.repair import could_hold_mojibake, normalize_space, repair, repair_lines
from dedup.document import Repair

ROOT = Path(__file__).resolve().parents[1]
FTFY_CASES = Path(__file__).parents[1].parent / "shared/benchdata/ftfy_test_cases/test_cases.json"

#: Curly quotes folded to straight ones: ftfy's expected outputs straighten quotes, we keep them.
QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})


def misread(text: str, codepage: str, fill: str | None = None) -> str:
    """``text`` as UTF-8 bytes shown through ``codepage``: gaps in 0x80..0x9F from ``fill``, else Latin-1."""
    shown = []
    for byte in text.encode("utf-8"):
        raw = bytes([byte])
        for encoding in (codepage, fill if byte < 0xA0 else None, "latin-1"):
            if encoding is None:
                continue
            try:
                shown.append(raw.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    return "".join(shown)


# --- ftfy's test cases ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ftfy_cases() -> list[dict[str, str]]:
    if not FTFY_CASES.is_file():
        pytest.skip(f"ftfy's test cases not found at {FTFY_CASES} (the shared benchmark data is absent)")
    cases: list[dict[str, str]] = json.loads(FTFY_CASES.read_text(encoding="utf-8"))
    return cases


def test_ftfy_cases_pass(ftfy_cases: list[dict[str, str]]) -> None:
    passing = [c for c in ftfy_cases if c["expect"] == "pass"]
    right = [c for c in passing if repair(c["original"]).translate(QUOTE_FOLD) == c["fixed"].translate(QUOTE_FOLD)]
    wrong = [c["label"] for c in passing if c not in right]
    assert len(passing) == 151
    assert len(right) >= 145, wrong


def test_ftfy_negatives_unchanged(ftfy_cases: list[dict[str, str]]) -> None:
    negatives = [c for c in ftfy_cases if c["expect"] == "pass" and c["original"] == c["fixed"]]
    assert len(negatives) >= 31  # 37 in ftfy 6.3.1's file
    changed = [(c["label"], repair(c["original"])) for c in negatives if repair(c["original"]) != c["original"]]
    assert changed == []


def test_precheck_never_hides_a_case(ftfy_cases: list[dict[str, str]]) -> None:
    # Every case whose text repair changes must be caught by the pre-check (the skip is only for
    # text there is nothing to do on).
    for case in ftfy_cases:
        if repair(case["original"]) != case["original"] or case["original"] != case["fixed"]:
            assert could_hold_mojibake(case["original"]), case["label"]


def test_ftfy_cases_idempotent(ftfy_cases: list[dict[str, str]]) -> None:
    for case in ftfy_cases:
        once = repair(case["original"])
        assert repair(once) == once, case["label"]


# --- UTF-8 read as Windows-874 (Thai) with Windows-1252 in its gaps -------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Chinaโ€™s AI push: openness or strategic positioning?", "China’s AI push: openness or strategic positioning?"),
        ("ยฉ 2025 by Global Current News", "© 2025 by Global Current News"),
        ("SHANGHAI, July 26 (Reuters)ย\u00a0", "SHANGHAI, July 26 (Reuters)\u00a0"),
        (
            "SoftBank aims to lead as โ€˜artificial super intelligenceโ€™ platform provider",
            "SoftBank aims to lead as ‘artificial super intelligence’ platform provider",
        ),
        ("AHÅ™ sofa".replace("™", "โ„ข"), "AHÅ™ sofa"),  # 0x84: a gap of cp874 filled from cp1252
        ("โ€œQuotedโ€\x9d", "“Quoted”"),  # 0x9D is a gap in cp1252 too: a C1 control stands in
    ],
)
def test_cp874(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed
    assert repair_lines([broken]) == ([fixed], [Repair(0, broken, fixed, "mojibake:cp874+cp1252")])


@pytest.mark.parametrize(
    "text",
    [
        "China’s “inclusive governance” — é ü ñ © ™ … 😀",
        "family 👨\u200d👩\u200d👧 and soft\u00adhyphen",
        "ภาษาไทย สวัสดีครับ",
        "Zürich–Genève, naïve café",
        "Ελληνικά",
        "Привет, как дела?",
    ],
)
def test_cp874_round_trip(text: str) -> None:
    assert repair(misread(text, "cp874", "cp1252")) == text


# --- UTF-8 read as Windows-1251 (Cyrillic) -------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("UkrsotsbankвЂ™s rating", "Ukrsotsbank’s rating"),
        ("вЂњB-вЂќ Rating", "“B-” Rating"),
        ("Blog Traffic Tip 2 вЂ“ Broadcast Email", "Blog Traffic Tip 2 – Broadcast Email"),
        ("РџСЂРёРІРµС‚, РєР°Рє РґРµР»Р°?", "Привет, как дела?"),
        ("Р—Р°РіРѕР»РѕРІРѕРє вЂ” В«С‚РµРєСЃС‚В»", "Заголовок — «текст»"),
    ],
)
def test_cp1251(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed
    [record] = repair_lines([broken])[1]
    assert record.after == fixed and record.fix


def test_cp1251_what_ftfy_declines() -> None:
    # ftfy's heuristic leaves this line alone (a case it marks as failing); our run-wise undo,
    # including the "à" whose NBSP byte became the word space, repairs it.
    broken = "faites attention Г bien vous renseigner avant sur le mГ©dicament"
    fixed = "faites attention à bien vous renseigner avant sur le médicament"
    assert repair_lines([broken]) == ([fixed], [Repair(0, broken, fixed, "mojibake:cp1251")])


@pytest.mark.parametrize(
    "text",
    ["China’s “quotes” — €5 © ™ …", "Привет, как дела? Всё хорошо.", "Київ, їжак, ґанок", "Ђорђе Јовановић", "日本語"],
)
def test_cp1251_round_trip(text: str) -> None:
    assert repair(misread(text, "cp1251")) == text


# --- correct text stays as it is ----------------------------------------------------------------

GENUINE = [
    "ภาษาไทย สวัสดีครับ",
    "การฉีดวัคซีนเริ่มต้นแล้ว เฉพาะกลุ่มเสี่ยง ภาษีมูลค่าเพิ่ม ๑๒๓",
    "เฉพาะ",
    "Привет, как дела? Всё хорошо.",
    "ВІКІ is Ukrainian for WIKI",
    "ЛЁД, ВСЁ, ПОЁТ",
    "Київ, Україна — їжак, ґанок, є.",
    "Ђорђе Јовановић, Љубљана, Њујорк, Ћуприја, Џеп",
    "«Привет», сказал он. В Москве",
    "Ελληνικά, ΆΈΉΊΌΎΏ άέήί, Ἀθῆναι",
    "café naïve Zoë façade São Paulo atenção über Straße",
    "Łódź, można, żółć, Čeština, třetího",
    "NESTLÉ® and 5×£35 and MÜ… DÛ… Ü–",
    "“curly” ‘quotes’ — – … • « » ‹ ›",
    "😀 👨\u200d👩\u200d👧 ❤️ 🇺🇦",
    "中文，测试。日本語のテキスト、ＡＢＣ",
    "한국어, עברית, العربية ٠١٢, हिन्दी, Tiếng Việt",
    "e\u0301 decomposed stays decomposed",
]


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_text_unchanged(text: str) -> None:
    assert repair(text) == text
    assert repair_lines([text]) == ([text], [])


@pytest.mark.parametrize(
    "text",
    ["Plain ASCII line, with & and; punctuation.", "“Curly quotes”, ‘single’ ones — and – dashes…", "café, Zoë, São Paulo"],
)
def test_precheck_skips_correct_text(text: str) -> None:
    assert not could_hold_mojibake(text)


def test_precheck_flags_mojibake() -> None:
    for broken in ("Chinaâ€™s", "Chinaโ€™s", "вЂ™", "ยฉ", "HÃ´tel", "voilÃ le", "\x93quoted\x94", "10&frac14;"):
        assert could_hold_mojibake(broken), broken


def test_whitespace_preserved() -> None:
    text = "\tIndented\u00a0line  with  runs \u2009thin\u3000wide\r\n\n  Chinaâ€™s   plan\t\n\n"
    assert repair(text) == "\tIndented\u00a0line  with  runs \u2009thin\u3000wide\r\n\n  China’s   plan\t\n\n"


def test_line_count_and_numbers() -> None:
    lines = ["ok", "", "Chinaโ€™s vision", "HÃ´tel de Police", "ok too"]
    out, repairs = repair_lines(lines)
    assert out == ["ok", "", "China’s vision", "Hôtel de Police", "ok too"]
    assert [(r.line_no, r.fix) for r in repairs] == [(2, "mojibake:cp874+cp1252"), (3, "ftfy")]
    assert all(r.before == lines[r.line_no] and r.after == out[r.line_no] for r in repairs)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_idempotent_and_lines_kept(text: str) -> None:
    once = repair(text)
    assert repair(once) == once
    assert once.count("\n") == text.count("\n")
    if not could_hold_mojibake(text):
        assert once == text


THAI_WORDS = "ภาษา ไทย สวัสดี ครับ การ ฉีด วัคซีน เริ่มต้น แล้ว เฉพาะ กลุ่ม เสี่ยง ข่าว กีฬา หน้าแรก ๒๕๖๘ ธนาคาร".split()
CYRILLIC_WORDS = "Привет как дела Всё хорошо ВСЁ ЛЁД Київ їжак ґанок Є «Привет» В Москве — ТІ ЇЇ".split()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(THAI_WORDS), min_size=1, max_size=12), st.sampled_from(["", " "]))
def test_thai_sentences_unchanged(words: list[str], joiner: str) -> None:
    text = joiner.join(words)
    assert repair(text) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(CYRILLIC_WORDS), min_size=2, max_size=12))
def test_cyrillic_sentences_unchanged(words: list[str]) -> None:
    text = " ".join(words)
    assert repair(text) == text


# --- the seed page with Windows-874 mojibake -----------------------------------------------------


def _seed_dirs() -> tuple[Path, Path]:
    for base in (ROOT / "fixtures", ROOT.parent / "shared"):
        if (base / "seeds" / "003_b926546d28130a5e.txt").is_file():
            return base / "seeds", base / "seeds-expected"
    pytest.skip("seed page 003 not found in fixtures/ or ../shared/")


def test_seed_003_repaired_to_expected() -> None:
    seeds, expected_dir = _seed_dirs()
    lines = (seeds / "003_b926546d28130a5e.txt").read_text(encoding="utf-8").splitlines()
    out, repairs = repair_lines(lines)
    expected = (expected_dir / "003_b926546d28130a5e.txt").read_text(encoding="utf-8").splitlines()
    optional_path = expected_dir / "003_b926546d28130a5e.optional.txt"
    if optional_path.is_file():
        expected += optional_path.read_text(encoding="utf-8").splitlines()
    normalised = {normalize_space(line) for line in out}
    assert [line for line in expected if line not in normalised] == []
    # Nothing Thai is left: every Thai character on this page was mojibake.
    assert not any("\u0e00" <= ch <= "\u0e7f" for line in out for ch in line)
    assert {r.fix for r in repairs} == {"mojibake:cp874+cp1252"}
    assert len(repairs) == 7
    assert out[42] == "SHANGHAI, July 26 (Reuters)\u00a0"  # the NBSP the bytes meant; the cleaner folds it


# --- normalize_space -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "normal"),
    [
        ("  plain   ascii\tline  ", "plain ascii line"),
        ("\u00a0nbsp\u00a0\u00a0runs\u202f", "nbsp runs"),
        ("thin\u2009hair\u200aideo\u3000graphic", "thin hair ideo graphic"),
        ("zero\u200bwidth\ufeff\u2060", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("emoji 👨\u200d👩\u200d👧 keeps its joiners", "emoji 👨\u200d👩\u200d👧 keeps its joiners"),
        ("\t\r\x0b\x0c", ""),
        ("back\x08space \x00nul", "backspace nul"),  # the controls repair removes count as nothing
        ("", ""),
    ],
)
def test_normalize_space(line: str, normal: str) -> None:
    assert normalize_space(line) == normal
    assert normalize_space(normal) == normal
