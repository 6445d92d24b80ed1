"""Character repair: ftfy's own cases, the misreadings ftfy cannot undo, and text that must stay as it is."""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ftfy
import pytest
from ftfy.badness import BADNESS_RE, badness
from ftfy.badness import is_bad as ftfy_is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.clean import COMPILED
from dedup.clean.lines import _COMMON_PUNCT
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
    assert len(right) >= 150, wrong  # ftfy itself, curly quotes kept: 150 (not the Afrikaans "ŉ")


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
    lines = ["ok", "", "Chinaโ€™s vision", "HÃ´tel de Police", "ok too", "naïve â€œquoteâ€\x9d"]
    out, repairs = repair_lines(lines)
    assert out == ["ok", "", "China’s vision", "Hôtel de Police", "ok too", "naïve “quote”"]
    # A line mixing correct accents with mojibake is ftfy's to judge.
    assert [(r.line_no, r.fix) for r in repairs] == [(2, "mojibake:cp874+cp1252"), (3, "mojibake:cp1252"), (5, "ftfy")]
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


PLAIN_ALPHABET = "ab ~&\t\x7f\u00a0\u00e9\u00c2\u200b" + "".join(_COMMON_PUNCT)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40) | st.text(alphabet=PLAIN_ALPHABET, max_size=12)
       | st.sampled_from(["  a  b ", "AT&T  x", "", "It’s “fine” — ok…", "’™", "—©", "~’", "a’b’c", "Â©"]))
def test_the_shortcut_for_plain_lines_is_exact(text: str) -> None:
    # What _Prepared takes for most lines instead of the precheck and normalize_space: it must be
    # taken only where the precheck finds nothing (two punctuation characters side by side can be
    # mojibake: "’™" is a MacRoman lead and continuation byte), and normalise as normalize_space does.
    parts = REPAIR.plain_parts(text)
    plain = None if parts is None else parts[0]
    if plain is not None:
        assert not could_hold_mojibake(text), text
        assert plain == normalize_space(text)
    elif text.isascii():
        assert not (text.isprintable() and "&" not in text)


def test_the_shortcut_takes_lines_with_curly_quotes_and_dashes() -> None:
    assert REPAIR.plain_parts("It’s “fine” — ok…") == ("It’s “fine” — ok…", "It~s ~fine~ ~ ok~")
    assert REPAIR.plain_parts("’™ x") is None  # side by side: could be mojibake


# --- the shortcuts give what the full path gives ---------------------------------------------------
#
# repair.py undoes UTF-8 read as Windows-1252 itself where ftfy would (ftfy then has nothing left to
# do), asks ftfy's question "is this mojibake?" with a faster equivalent of ftfy's detector, anchors
# its own run regexes, and remembers runs it has judged. Here all of that is compared with the plain
# path (ftfy doing the Windows-1252 repairs, ftfy's own detector, the run regexes as plain
# alternations, nothing remembered) on generated mojibake: correct lines misread once and twice, as
# pages show them.

REPAIR = importlib.import_module("dedup.clean.repair")  # dedup.clean.repair is the function


def _plain_sequence(codepage: str, fill: str | None) -> re.Pattern[str]:
    """The misreading's run regex as a plain alternation (what the anchored one must match like)."""
    table, guessed = REPAIR._byte_table(codepage, fill)

    def chars(first: int, last: int, skip: frozenset[int] = frozenset()) -> str:
        return REPAIR._char_class("".join(table[b] for b in range(first, last + 1) if b not in skip))

    cont, lead2 = chars(0x80, 0xBF), chars(0xC2, 0xDF, guessed)
    lead3, lead4 = chars(0xE0, 0xEF, guessed), chars(0xF0, 0xF4, guessed)
    return re.compile(f"{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}}|(?P<lost_a0>{lead2} )")


def _plain_undo(line: str, misreading: Any) -> str:
    """``_undo`` as first written: every run decoded and judged where it stands, ftfy's badness."""
    pieces: list[str] = []
    outside: list[str] = []
    pos = telltales = 0
    for match in misreading.sequence.finditer(line):
        run = match.group()
        try:
            decoded = bytes(0xA0 if ch == " " else misreading.to_byte[ch] for ch in run).decode("utf-8")
        except UnicodeDecodeError:
            continue
        gap = line[pos : match.start()]
        if not REPAIR._plausible(decoded, gap[-1:] or (pieces[-1][-1:] if pieces else "")):
            continue
        if match.group("lost_a0"):
            decoded = "à " if decoded == "à" else decoded
        else:
            before = line[match.start() - 1 : match.start()] if match.start() else ""
            after = line[match.end() : match.end() + 1]
            telltales += REPAIR._telltale_in_itself(run, decoded) or REPAIR._glued_to_latin(before, after)
        outside.append(gap)
        pieces += [gap, decoded]
        pos = match.end()
    if not telltales or misreading.native.search("".join([*outside, line[pos:]])):
        return line
    fixed = "".join([*pieces, line[pos:]])
    return fixed if badness(fixed) <= badness(line) else line


@contextmanager
def full_path() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        # ftfy right after the Thai step, as if the whole-line steps before it were not there.
        assert [name for name, _ in REPAIR._STEPS[:4]] == [REPAIR._CP874.name, "mojibake:cp1252", "mojibake:cp1251", "ftfy"]
        # ... and ftfy called on every line that reaches it, not only where it can change something.
        patch.setattr(REPAIR, "_STEPS", (REPAIR._STEPS[0], ("ftfy", REPAIR._run_ftfy), *REPAIR._STEPS[4:]))
        patch.setattr(REPAIR, "_is_bad", ftfy_is_bad)
        patch.setattr(REPAIR, "_undo", _plain_undo)
        for name, codepage, fill in (("_CP874", "cp874", "cp1252"), ("_CP1251", "cp1251", None)):
            plain = dataclasses.replace(getattr(REPAIR, name), sequence=_plain_sequence(codepage, fill), runs={})
            patch.setattr(REPAIR, name, plain)
        yield


def _misreadings(text: str) -> list[str]:
    """``text`` misread the ways pages show it: strict and sloppy code pages, once and twice, and with
    the NBSP bytes turned into spaces."""
    ways: list[Callable[[str], str]] = [
        lambda s: misread(s, "cp1252"),
        lambda s: misread(s, "latin-1"),
        lambda s: misread(s, "cp874", "cp1252"),
        lambda s: misread(s, "cp1251"),
    ]
    strict = [lambda s, cp=cp: s.encode("utf-8").decode(cp) for cp in ("cp1252", "cp874", "cp1251")]
    # Bytes the code page lacks lost on the way, as U+FFFD or "?" (what ftfy's lossy decoding is for).
    lossy = [lambda s, cp=cp: s.encode("utf-8").decode(cp, "replace") for cp in ("cp1252", "cp1251")]
    lossy += [lambda s: s.encode("utf-8").decode("cp1252", "replace").replace("\ufffd", "?")]
    out = []
    for way in ways + strict + lossy:
        try:
            once = way(text)
        except UnicodeDecodeError:
            continue
        out += [once, once.replace("\u00a0", " ")]
        for second in ways:
            out.append(second(once))
    return out


@pytest.fixture(scope="module")
def mojibake_samples() -> list[str]:
    correct = GENUINE + [
        "China’s “inclusive governance” — é ü ñ © ™ … 😀 and 25°C · €5 · £3 • 1½ ×2",
        "Ningbo，China: ﬁnancial ﬂows, naïve façade, Ærø, Œuvre, ½ off",
        "voilà le travail, à la mode; Ã  and â€ left by hand",
        # Combining marks with no letter to sit on: implausible once undone.
        *("\u0300", "\u0301 x", "x \u0654", "“\u0e31”", "(\u0591)"),
    ]
    for pattern in ("pages*/*.txt", "seeds*/*.txt"):  # pages as scraped (mojibake already) and as expected
        for path in sorted((ROOT / "fixtures").glob(pattern)):
            # Every other line with anything but ASCII, its first 80 characters: enough, and quicker.
            text = path.read_text(encoding="utf-8")
            correct += [line[:80] for line in text.splitlines() if not line.isascii()][::2]
    return list(dict.fromkeys(broken for text in correct for broken in _misreadings(text)))


@pytest.mark.skipif(COMPILED, reason="the full path is patched in, which compiled code does not see; "
                    "the run against the source covers it")
def test_shortcuts_match_the_full_path(mojibake_samples: list[str]) -> None:
    for misreading in (REPAIR._CP874, REPAIR._CP1251, REPAIR._CP1252_WHOLE, REPAIR._CP1251_WHOLE):
        misreading.runs.clear()
    cold = [REPAIR._repair_line(line) for line in mojibake_samples]  # nothing remembered yet
    warm = repair_lines(mojibake_samples)
    with full_path():
        slow = [REPAIR._repair_line(line) for line in mojibake_samples]
    changed = [(n, line, *cold[n]) for n, line in enumerate(mojibake_samples) if cold[n][0] != line]
    assert len(mojibake_samples) > 2000 and len(changed) > 1500  # the samples do need repairs
    # The same text; the fix names say who repaired it ("mojibake:cp1252" here, "ftfy" there).
    assert [fixed for fixed, _ in cold] == [fixed for fixed, _ in slow]
    assert [fixes for _, fixes in cold] != [fixes for _, fixes in slow]  # the full path did run
    assert sum("mojibake:cp1252" in fixes for _, fixes in cold) > 300
    assert sum(fixes.startswith("mojibake:cp1251") for _, fixes in cold) > 100
    assert warm == ([fixed for fixed, _ in cold], [Repair(*record) for record in changed])


def test_detector_matches_ftfy(mojibake_samples: list[str]) -> None:
    texts = mojibake_samples + [REPAIR._repair_line(line)[0] for line in mojibake_samples]
    texts += ["", "a\nb", "Ã©\nâ€™ <b>&amp;</b>", "&lt;Ã©&gt;", "\x1b[31mred\x1b[0m Ã©", "\ud83d\ude00 Ã©", "ﬁnal â€œ"]
    texts += ["xÀ\x80y Ã©", "À€ Ã©", "í\xa0½í²©", "Ã\xadÂ\xa0Â½Ã\xadÂ²Â©"]
    bad = 0
    for text in texts:
        assert REPAIR._is_bad(text) == ftfy_is_bad(text), text
        assert REPAIR._badness(text) == badness(text), text
        bad += ftfy_is_bad(text)
    assert bad > 1000  # the detector is asked about mojibake, not only about clean text
    assert sum(badness(text) > 1 for text in texts) > 500  # and to count more than one match


MOJIBAKE_ALPHABET = "ab Z.?'&;<" + "".join(map(chr, range(0x80, 0x180))) + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u00a0ยรฉโวГВРСЂЃвЃ°±²ΒΓΟÂÃÐØ√≈ﬁ\x1b\ufffd"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=MOJIBAKE_ALPHABET, max_size=12))
def test_shortcuts_match_the_full_path_on_any_text(text: str) -> None:
    fast = REPAIR._repair_line(text)
    assert REPAIR._is_bad(text) == ftfy_is_bad(text)
    assert REPAIR._badness(text) == badness(text)
    with full_path():
        assert REPAIR._repair_line(text)[0] == fast[0]


def test_fast_detector_is_in_use() -> None:
    # With a detector regex its rewrite does not understand (a future ftfy), repair uses ftfy's own:
    # the same results, slower. If this fails after an ftfy upgrade, teach _anchor_parts the new syntax.
    assert REPAIR._detector() is not BADNESS_RE, ftfy.__version__
    assert REPAIR._anchors() is not None, ftfy.__version__


@pytest.mark.parametrize(
    "line",
    [
        "com especial atenÃ§Ã£o Ã s crianÃ§as",  # "às": the space is the lost byte 0xA0
        "eliminado o antÃ\xadgeno e mantidos os nÃ\xadveis, Ã quele",  # "àquele"
        "cafÃ© Ã la mode",  # "à la": the lost byte and the word space became one space
        "voilÃ  tout",
    ],
)
def test_lead_before_a_space_is_judged_as_ftfy_does(line: str) -> None:
    assert repair(line) == ftfy.fix_text(line, REPAIR._FTFY_CONFIG)


def test_ftfy_skipped_only_where_it_changes_nothing(mojibake_samples: list[str]) -> None:
    texts = mojibake_samples + [REPAIR._repair_line(line)[0] for line in mojibake_samples]
    skipped = [t for t in texts if not REPAIR._ftfy_may_change(t)]
    assert len(skipped) > 1000 and len(skipped) < len(texts)
    assert [ftfy.fix_text(t, REPAIR._FTFY_CONFIG) for t in skipped] == skipped
    # Each kind of character the other fixers act on sends the line to ftfy.
    for line in ("a &amp; b", "\x1b[31mred", "caf\x82", "\ud83d", "ﬁnal"):
        assert REPAIR._ftfy_may_change(line)


#: Characters ftfy's fixers act on or its detector weighs: code-page glyphs, C1 controls, accents, ligatures.
_FTFY_ALPHABET = "".join(sorted(
    {*"aeiouy sç’“”–—…•·©®°£€¤¦§¨ª«¬»¿ÀÂÃÉÊÎÏÔÕÖÙÛÜàâãéêîïôõöùûüŠšŽžŒœŸƒˆ˜™ВГЂЃЉЊЌЋЏђѓљњќћџ»ยฉโ€", *map(chr, range(0x80, 0xA0))}
))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_FTFY_ALPHABET, max_size=30))
def test_ftfy_skip_is_exact(text: str) -> None:
    if not REPAIR._ftfy_may_change(text):
        assert ftfy.fix_text(text, REPAIR._FTFY_CONFIG) == text


def test_mojibake_of_mojibake_through_a_c1_control() -> None:
    # "”" is E2 80 9D; read as Windows-1252 it is "â€\x9d", whose UTF-8 read again is "Ã¢â‚¬Â\x9d":
    # the first layer decodes to a C1 control, which the second undoes. No ftfy needed.
    line = "Ã¢â‚¬Å“We take it seriously,Ã¢â‚¬Â\x9d he said."
    assert REPAIR._repair_line(line) == ("“We take it seriously,” he said.", "mojibake:cp1252")
    with full_path():
        assert REPAIR._repair_line(line)[0] == "“We take it seriously,” he said."
    # A layer that leaves a C1 control behind is no repair of this step's (ftfy judges the line).
    step = dict(REPAIR._STEPS)["mojibake:cp1252"]
    assert step("Ã¢â‚¬Å“ seriously,Â\x9d he said.") == "Ã¢â‚¬Å“ seriously,Â\x9d he said."


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40) | st.text(alphabet=PLAIN_ALPHABET, max_size=12)
       | st.sampled_from(["a &amp; b", "x\x1by", "tab\there", "&#8217;", "AT&T", "del\x7f", "", "&", "’™", "—©"]))
def test_the_cheap_tests_of_the_precheck_are_exact(text: str) -> None:
    assert could_hold_mojibake(text) == (REPAIR._SUSPECT.search(text) is not None)


THAI_CYRILLIC_ALPHABET = "ab .’" + "".join(map(chr, range(0x0E01, 0x0E5C))) + "".join(map(chr, range(0x0400, 0x0460))) + "€™–—“”"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=THAI_CYRILLIC_ALPHABET, max_size=16))
def test_the_stray_letter_shortcut_of_undo_is_exact(text: str) -> None:
    # A letter no run can hold ("ม", "я") ends _undo at once; without the shortcut, the same answer.
    for misreading in (REPAIR._CP874, REPAIR._CP1251):
        assert misreading.stray is not None
        plain = dataclasses.replace(misreading, stray=None, runs={})
        assert REPAIR._undo(text, misreading) == REPAIR._undo(text, plain), (misreading.name, text)


def test_repair_suspect_is_repair_lines_of_a_suspect_line(mojibake_samples: list[str]) -> None:
    """The cleaner's shortcut for one line its own test found suspect gives what repair_lines does."""
    lines = [line for line in mojibake_samples if REPAIR.suspect(line)]
    assert len(lines) > 1500
    for line in lines:
        assert REPAIR.repair_suspect(line) == repair_lines([line]), line
