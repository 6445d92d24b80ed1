"""Character repairs: mojibake and odd characters, never whitespace or lines.

ftfy does most of the work. On top of it this module undoes two misreadings ftfy does not know or
does not dare to fix: UTF-8 read as Windows-874 (Thai) with the gaps of that code page filled from
Windows-1252, and UTF-8 read as Windows-1251 (Cyrillic). Both are undone only on *suspicious runs*
(characters that are, in that code page, a UTF-8 lead byte followed by continuation bytes), and only
when every run decodes cleanly to plausible characters and no letter of the code page's own script is
left over, so genuine Thai or Russian text is never touched.

The commonest misreading, UTF-8 read as Windows-1252 ("Chinaâ€™s"), is undone the same way, by
this module, on the lines ftfy's own detector calls mojibake: ftfy spends ~0.2 ms on such a line,
this a few microseconds. What that leaves suspect (text mixing correct accents with mojibake, C1
controls, HTML entities, ligatures, the misreadings of other code pages) goes to ftfy itself.

A fast pre-check (:func:`could_hold_mojibake`) lets lines that cannot hold mojibake skip all of this:
pure ASCII and ordinary correct Unicode (curly quotes, accents, dashes) cost one regex scan.

>>> repair("Chinaâ€™s plan")
'China’s plan'
>>> repair("Chinaโ€™s AI push ยฉ 2025")
'China’s AI push © 2025'
>>> repair("UkrsotsbankвЂ™s вЂњB-вЂњ Rating")
'Ukrsotsbank’s “B-“ Rating'
>>> repair("Привет, как дела? ภาษาไทย “quoted” café")
'Привет, как дела? ภาษาไทย “quoted” café'
>>> normalize_space("\\u00a0 two\\u2009 words\\u200b here\\t")
'two words here'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, NamedTuple

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs the pre-check reads)
from ftfy.badness import BADNESS_RE, badness
from ftfy.chardata import CHARMAP_ENCODINGS, CONTROL_CHARS, LIGATURES, WIDTH_MAP

from ..document import Repair
from .lines import _COMMON_PUNCT, native

__all__ = ["could_hold_mojibake", "normalize_space", "repair", "repair_lines"]

# --- ftfy ----------------------------------------------------------------------------------------

#: ftfy, minus everything that would change correct text or whitespace: quotes stay curly, line breaks
#: and the ideographic space stay, width is only folded on characters a repair produced (see
#: ``_ftfy``), control characters are removed by ``_CONTROL_REMOVAL`` (which spares whitespace), and
#: no Unicode normalisation, so a repair yields exactly what the bytes meant.
_FTFY_CONFIG: Final = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_character_width=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

#: ftfy's control characters (C0 controls, BOM, deprecated format characters) minus the ones Python
#: counts as whitespace (U+000B, U+001C..U+001F): whitespace is left exactly as it is.
_CONTROL_REMOVAL: Final[Mapping[int, None]] = MappingProxyType(
    {cp: None for cp in CONTROL_CHARS if not chr(cp).isspace()}
)

#: Fullwidth/halfwidth forms to their usual width, minus U+3000 (a space: whitespace stays).
_WIDTH_FOLD: Final[Mapping[int, int | str | None]] = MappingProxyType(
    {cp: target for cp, target in WIDTH_MAP.items() if not chr(cp).isspace()}
)
_HAS_WIDTH_FORM: Final = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH_FOLD)) + "]")
_HAS_CONTROL: Final = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_CONTROL_REMOVAL)) + "]")


#: Han, kana and Hangul: the scripts whose text uses fullwidth punctuation on purpose.
_CJK: Final = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# --- ftfy's mojibake detector, faster -------------------------------------------------------------
#
# ftfy decides whether a text holds mojibake with one regex of some forty alternatives
# (``ftfy.badness.BADNESS_RE``), tried at every position of the text (0.6 µs a character). This
# module asks that question too (before undoing a Windows-1252 misreading, and to compare a repair
# with the line it replaces), so it builds from ftfy's own pattern, at first use, an equivalent one
# that the regex engine can skip through at C speed.

#: Characters frequent in correct text: an anchor (below) should be none of these where it can.
_FREQUENT: Final = "’‘“”–—…•·«»©®™°€£\u00a0" + "".join(map(chr, range(0xC0, 0x100)))
_ASCII: Final = "".join(map(chr, range(0x80)))

#: One element of ftfy's verbose detector regex: a class, an escape, a literal, ``.``, ``^`` or ``?``.
_REGEX_TOKEN: Final = re.compile(
    r"""
    (?P<skip>[ \t\n\r\v\f]+|\#[^\n]*)
  | (?P<bar>\|)
  | (?P<cls>\[\^?\]?(?:\\.|[^\]\\])*\])
  | (?P<esc>\\x[0-9a-fA-F]{2}|\\[sw])
  | (?P<lit>[^\\\[\]()|*+?{}.^$])
  | (?P<any>\.)
  | (?P<start>\^)
  | (?P<opt>\?)
    """,
    re.VERBOSE,
)


def _rare_non_ascii(element: re.Pattern[str]) -> int | None:
    """How good an anchor ``element`` is in text (lower is better; ``None``: not at all)."""
    return None if element.search(_ASCII) else len(element.findall(_FREQUENT))


def _anchor_parts(
    pattern: str, verbose: bool, rank: Callable[[re.Pattern[str]], int | None]
) -> tuple[list[str], list[str], int]:
    """``pattern`` (an alternation of runs of single characters), taken apart to be rewritten to
    start with one class: the anchor and the rewritten branch of each alternative, and how many
    characters the longest alternative matches (:func:`_detector` joins them).

    Python's regex engine tries every alternative at every position unless the pattern starts with a
    single character class; then it skips at C speed to the characters in that class. ftfy's detector
    has no such class (some alternatives start with ``[a-z]``, ``\\s`` or ``^``), so each alternative
    is turned around one of its elements, its *anchor*: a class or literal that matches no ASCII
    character (and, of those, the fewest characters of ``_FREQUENT``). The rewritten pattern consumes
    the anchor first and checks what came before it with a lookbehind::

        [a-z] [Ã] [¡«]   ->   [<all anchors>](?:...|(?<=[a-z][Ã])[¡«]|...)

    An alternative matches at some position iff its rewritten branch matches at its anchor, so the
    two patterns find a match in exactly the same strings (where and how many may differ: this is a
    replacement for ``search``, not for ``findall``; :func:`_badness` counts with the anchors). An
    optional element becomes two alternatives.
    Raises ``ValueError`` on any syntax it was not written for (whitespace and ``#`` outside classes
    too, unless ``pattern`` is verbose and they mean nothing).
    """
    alternatives: list[list[tuple[str, str, bool]]] = [[]]  # (kind, token, optional)
    pos = 0
    while pos < len(pattern):
        match = _REGEX_TOKEN.match(pattern, pos)
        if match is None:
            raise ValueError(f"unexpected regex syntax at {pos}: {pattern[pos : pos + 20]!r}")
        pos = match.end()
        kind, token = match.lastgroup or "", match.group()
        if kind == "bar":
            alternatives.append([])
        elif kind == "opt":
            if not alternatives[-1] or alternatives[-1][-1][0] == "start" or alternatives[-1][-1][2]:
                raise ValueError(f"unexpected '?' at {pos}")
            alternatives[-1][-1] = (*alternatives[-1][-1][:2], True)
        elif kind == "skip":
            if not verbose:
                raise ValueError(f"whitespace or '#' at {pos} in a pattern that is not verbose")
        else:
            alternatives[-1].append((kind, token, False))
    expanded: list[list[tuple[str, str]]] = []
    for alternative in alternatives:
        variants: list[list[tuple[str, str]]] = [[]]
        for kind, token, optional in alternative:
            variants = [v + [(kind, token)] for v in variants] + ([list(v) for v in variants] if optional else [])
        expanded += variants
    anchors: list[str] = []
    branches: list[str] = []
    # Every element but "^" matches one character.
    longest = max((sum(kind != "start" for kind, _ in elements) for elements in expanded), default=0)
    for elements in expanded:
        best: tuple[int, int] | None = None
        for i, (kind, token) in enumerate(elements):
            if kind not in ("cls", "lit") or token.startswith("[^"):
                continue
            score = rank(re.compile(token))
            if score is not None and (best is None or score < best[0]):
                best = (score, i)
        tokens = [token for _, token in elements]
        if best is None:
            raise ValueError(f"no anchor in {''.join(tokens)!r}")
        i = best[1]
        anchors.append(tokens[i])
        branches.append(f"(?<={''.join(tokens[: i + 1])}){''.join(tokens[i + 1 :])}")
    return anchors, branches, longest


@functools.cache
def _detector_parts() -> tuple[list[str], list[str], int] | None:
    """:func:`_anchor_parts` of ``ftfy.badness.BADNESS_RE``, parsed once for :func:`_detector` and
    :func:`_anchors`; ``None`` if a future ftfy wrote its detector in syntax the parser does not know."""
    try:
        return _anchor_parts(BADNESS_RE.pattern, bool(BADNESS_RE.flags & re.VERBOSE), _rare_non_ascii)
    except ValueError:
        return None


@functools.cache
def _detector() -> re.Pattern[str]:
    """Finds a match in exactly the strings ``ftfy.badness.BADNESS_RE`` does, some 20 times faster.

    Built on first use (it takes some 20 ms), so that runs that meet no mojibake never pay for it.
    """
    parts = _detector_parts()
    if parts is None:
        return BADNESS_RE  # use ftfy's detector as it is
    anchors, branches, _ = parts
    try:
        # An alternation of classes is merged into one class by the regex parser.
        return re.compile(f"(?:{'|'.join(anchors)})(?:{'|'.join(branches)})", BADNESS_RE.flags & ~re.VERBOSE)
    except re.error:
        return BADNESS_RE


#: The last text :func:`_is_bad` judged, and its verdict, as one tuple (replaced in one step, so
#: threads never see a text with another's verdict). The repair steps ask about the same line
#: one after the other: each whole-line step about its input, and about the result of the one
#: before.
_LAST_VERDICT: Final[list[tuple[str, bool]]] = [("", False)]


def _is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad``: whether ``text`` looks like it holds mojibake."""
    last = _LAST_VERDICT[0]
    if last[0] is text:
        return last[1]
    bad = _detector().search(text) is not None
    _LAST_VERDICT[0] = (text, bad)
    return bad


@functools.cache
def _anchors() -> tuple[re.Pattern[str], int] | None:
    """The anchors of ftfy's detector as one class, and the length of its longest match (see
    :func:`_badness`); ``None`` where :func:`_detector` falls back to ftfy's own pattern."""
    parts = _detector_parts()
    if parts is None:
        return None
    anchors, _, longest = parts
    try:
        return re.compile(f"(?:{'|'.join(anchors)})", BADNESS_RE.flags & ~re.VERBOSE), longest
    except re.error:
        return None


def _badness(text: str) -> int:
    """``ftfy.badness.badness`` (the number of matches ``findall`` finds), without its scan of every
    position: some 10 times faster on a line of mojibake.

    ``findall`` searches again where its last match ended. Every match holds an anchor character
    within its first ``longest`` characters, so no match starts before the next anchor less
    ``longest - 1``; and one that starts by that anchor ends within ``longest`` characters of it. So
    each search runs over that window only, which finds the same match as a search over the rest of
    the text; if it finds none starting at or before the anchor, the next search starts after it.
    """
    found = _anchors()
    if found is None:
        return badness(text)
    anchor, longest = found
    count = 0
    pos = 0
    while True:
        hit = anchor.search(text, pos)
        if hit is None:
            return count
        at = hit.start()
        match = BADNESS_RE.search(text, max(pos, at - longest + 1), at + longest)
        if match is not None and match.start() <= at:
            count += 1
            pos = match.end()
        else:
            pos = at + 1


#: What the fixers of :data:`_FTFY_CONFIG` other than ``fix_encoding`` act on: HTML entities, terminal
#: escapes, C1 controls, surrogates and Latin ligatures. A line holding none of them, and that ftfy's
#: detector does not call mojibake (``fix_encoding`` then leaves it as it is), comes out of ftfy unchanged.
_FTFY_OTHER_FIXES: Final = re.compile(
    "[&\x1b\x80-\x9f" + chr(0xD800) + "-" + chr(0xDFFF) + "".join(re.escape(chr(cp)) for cp in sorted(LIGATURES)) + "]"
)


def _ftfy_may_change(line: str) -> bool:
    """Whether ftfy (with :data:`_FTFY_CONFIG`) could change ``line``; ``False`` is certain."""
    return _is_bad(line) or _FTFY_OTHER_FIXES.search(line) is not None


def _run_ftfy(line: str) -> str:
    """ftfy on one line (see :func:`_fold_produced_width`)."""
    return _fold_produced_width(line, ftfy.fix_text(line, _FTFY_CONFIG))


def _ftfy(line: str) -> str:
    """:func:`_run_ftfy`, skipped where it provably changes nothing (some 0.1 ms a line: code-page
    misreadings ftfy does not know reach this step unchanged)."""
    return _run_ftfy(line) if _ftfy_may_change(line) else line


def _fold_produced_width(line: str, fixed: str) -> str:
    """``fixed`` (a repair of ``line``) with fullwidth forms folded if the repair produced them
    outside CJK text.

    Chinese and Japanese use fullwidth punctuation on purpose ("中文，测试"), so folding width
    everywhere would change correct text; a fullwidth comma that a repair produced inside a Latin
    sentence is an input-method artifact, and ftfy's own expectation (``"Ningboï¼ŒChina"`` ->
    ``"Ningbo,China"``) applies.
    """
    if (
        fixed != line
        and _HAS_WIDTH_FORM.search(fixed)
        and not _HAS_WIDTH_FORM.search(line)
        and not _CJK.search(fixed)
    ):
        fixed = fixed.translate(_WIDTH_FOLD)
    return fixed


def _remove_controls(line: str) -> str:
    # str.translate looks every non-ASCII character up in the table (slowly, for a mapping proxy); a
    # line with nothing to remove is spared that.
    return line.translate(_CONTROL_REMOVAL) if _HAS_CONTROL.search(line) else line


# --- misreadings ftfy does not undo --------------------------------------------------------------


class _Run(NamedTuple):
    """What one suspicious run tells by itself, whatever surrounds it (see :func:`_read_run`)."""

    #: The character(s) its bytes decode to in UTF-8.
    decoded: str
    #: Whether ``decoded`` is plausible after a letter (:func:`_plausible`) ...
    plausible_after_letter: bool
    #: ... and after anything else, or at the start of the line.
    plausible_after_other: bool
    #: Whether the run is a telltale of mojibake without looking at its neighbours (:func:`_telltale_in_itself`).
    telltale: bool


#: Distinct runs remembered per misreading. Pages repeat the same few ("โ€™", "вЂњ", ...); the bound
#: only keeps text made to hold many different ones from growing the cache without end.
_RUNS_REMEMBERED: Final = 4096


@functools.cache
def _range_class(first: int, last: int) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chr(first))}-{re.escape(chr(last))}]")


def _in_range_py(text: str, first: int, last: int) -> bool:
    """Whether ``text`` holds a character whose code point is ``first`` to ``last`` (the stand-in of
    ``_native.in_range``, which needs no pass at all over a text whose kind holds no such character;
    a test compares the two)."""
    first, last = max(first, 0), min(last, 0x10FFFF)
    return first <= last and _range_class(first, last).search(text) is not None


_in_range: Final[Callable[[str, int, int], bool]] = native("in_range") or _in_range_py


@dataclass(frozen=True)
class _Misreading:
    """UTF-8 bytes decoded with one single-byte code page, and how to take that back."""

    #: Names the fix in :class:`Repair` (``"mojibake:<name>"``).
    name: str
    #: Character -> the byte the code page decoded it from.
    to_byte: Mapping[str, int]
    #: One UTF-8 sequence as the code page shows it; the ``lost_a0`` group (the space) marks a
    #: two-byte sequence whose continuation byte 0xA0 (NBSP) was turned into a plain space along the way.
    sequence: re.Pattern[str]
    #: Letters of the code page's own script: if any is left outside the runs we undo, the line is
    #: genuine text in that script (or a mix we cannot explain), and we leave it alone.
    native: re.Pattern[str]
    #: Whether a run may decode to a C1 control: a layer of mojibake of mojibake ("Â\x9d" is the
    #: UTF-8 of U+009D, which is the byte 0x9D of "â€\x9d", which is "”"), for the next round to undo.
    layered: bool = False
    #: Letters of the code page's script that no run can hold (neither a lead nor a continuation,
    #: "ม" in Thai, "я" in Russian): a line holding one is genuine text (see :func:`_undo`).
    stray: re.Pattern[str] | None = None
    #: The lowest and highest code point of a lead character: every run starts with one, so a line
    #: holding no character between the two has nothing to undo (see :func:`_undo`).
    leads: tuple[int, int] = (0, 0x10FFFF)
    #: Run -> what :func:`_read_run` found (``None``: not valid UTF-8), for runs met before.
    runs: dict[str, _Run | None] = field(default_factory=dict, compare=False, hash=False, repr=False)


def _byte_table(codepage: str, fill: str | None) -> tuple[list[str], frozenset[int]]:
    """The 256 characters ``codepage`` shows for each byte, gaps filled from ``fill`` then Latin-1;
    and the bytes only Latin-1 could fill.

    ``fill`` only fills the C1 range 0x80..0x9F: that is where pages (and browsers: WHATWG's
    windows-874) show Windows-1252 glyphs in another code page's gaps. Latin-1 as the last resort
    mirrors what browsers and ftfy's "sloppy" codecs do with undefined bytes (C1 controls), so every
    byte has exactly one character and every run can be re-encoded.
    """
    table = []
    guessed = set()
    for byte in range(256):
        raw = bytes([byte])
        for encoding in (codepage, fill if byte < 0xA0 else None, "latin-1"):
            if encoding is None:
                continue
            try:
                table.append(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
            if encoding == "latin-1" and encoding != codepage:
                guessed.add(byte)
            break
    return table, frozenset(guessed)


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _misreading(
    name: str,
    codepage: str,
    fill: str | None,
    native: str,
    lost_a0: bool = True,
    layered: bool = False,
    block: tuple[int, int] | None = None,
) -> _Misreading:
    """The misreading of UTF-8 as ``codepage``; ``lost_a0``: also undo two-byte sequences whose
    continuation byte 0xA0 became a plain space (with it, a lead standing before a space);
    ``block``: the code points ``native`` matches, for :attr:`_Misreading.stray`."""
    table, guessed = _byte_table(codepage, fill)
    to_byte = {ch: byte for byte, ch in enumerate(table)}
    if len(to_byte) != 256:  # a character shown for two bytes would make re-encoding ambiguous
        raise RuntimeError(f"{name}: the byte table is not one-to-one")

    def chars(first: int, last: int) -> str:
        return "".join(table[b] for b in range(first, last + 1))

    def leads(first: int, last: int) -> str:
        # A lead byte the code page leaves undefined was shown as U+FFFD (or dropped) by any real
        # decoder, so its Latin-1 stand-in (Û, Ü, ... in Windows-874) is a genuine letter, not a lead.
        return "".join(table[b] for b in range(first, last + 1) if b not in guessed)

    cont = _char_class(chars(0x80, 0xBF))
    lead2, lead3, lead4 = leads(0xC2, 0xDF), leads(0xE0, 0xEF), leads(0xF0, 0xF4)
    # Any lead first, as one class, so that the regex engine skips at C speed to where a sequence can
    # start; then the branch for its kind of lead. The same matches as the plain alternation
    # "{lead2}{cont}|{lead3}{cont}{2}|{lead4}{cont}{3}|{lead2} ", in a fraction of the time.
    in_runs = set(chars(0x80, 0xBF) + lead2 + lead3 + lead4)
    stray = None
    if block is not None:
        strays = [chr(cp) for cp in range(block[0], block[1] + 1) if re.match(native, chr(cp)) and chr(cp) not in in_runs]
        stray = re.compile(_char_class("".join(strays))) if strays else None
    lead_chars = lead2 + lead3 + lead4
    lead2, lead3, lead4, any_lead = map(_char_class, (lead2, lead3, lead4, lead_chars))
    # Without lost_a0, a group that never matches, so that _undo reads every pattern alike.
    lost = f"(?<={lead2})(?P<lost_a0> )" if lost_a0 else "(?P<lost_a0>(?!))"
    sequence = re.compile(f"{any_lead}(?:(?<={lead2}){cont}|(?<={lead3}){cont}{{2}}|(?<={lead4}){cont}{{3}}|{lost})")
    assert sequence.groupindex == {"lost_a0": 1}  # _undo reads the group by its number
    return _Misreading(f"mojibake:{name}", MappingProxyType(to_byte), sequence, re.compile(native), layered, stray,
                       (min(map(ord, lead_chars)), max(map(ord, lead_chars))))


#: Tried in this order, each once per round (ftfy runs between them; see ``_STEPS``).
_CP874: Final = _misreading("cp874+cp1252", "cp874", "cp1252", "[\u0e00-\u0e7f]", block=(0x0E00, 0x0E7F))
_CP1251: Final = _misreading("cp1251", "cp1251", None, "[\u0400-\u052f]", block=(0x0400, 0x052F))
#: The two misreadings ftfy meets most, undone before it on whole lines only: any non-ASCII
#: character outside the runs (an accent, a dash) means the line mixes correct text with mojibake,
#: or is no misreading at all, and ftfy judges such lines (it declines some on purpose). So does a
#: lead before a space: whether that space was the lost byte 0xA0 ("Ã s" for "às") or a word space
#: after it ("Ã la" for "à la") takes ftfy's knowledge of the languages that write "à".
_CP1252_WHOLE: Final = _misreading("cp1252", "cp1252", None, "[^\x00-\x7f]", lost_a0=False, layered=True)
_CP1251_WHOLE: Final = _misreading("cp1251", "cp1251", None, "[^\x00-\x7f]", lost_a0=False)


_C1_CONTROL: Final = re.compile("[\x80-\x9f]")


def _undo_where_ftfy_would(misreading: _Misreading) -> Callable[[str], str]:
    """A repair step undoing ``misreading`` layer after layer (mojibake of mojibake), for as long as
    ftfy's detector calls the line mojibake: no line ftfy would leave alone is touched."""

    def peel(line: str, judge: bool) -> str:
        fixed = line
        for _ in range(_MAX_ROUNDS):
            if not _is_bad(fixed):
                break
            undone = _undo(fixed, misreading, judge)
            if undone == fixed:
                break
            fixed = undone
        return fixed

    def step(line: str) -> str:
        # Layers are peeled unjudged first: when that leaves a line ftfy's detector finds clean,
        # the badness of no layer needs counting (the count is the slow part, on mojibake of
        # mojibake above all). Otherwise each layer is judged as it is peeled (see _undo).
        fixed = peel(line, False)
        if fixed != line and _is_bad(fixed):
            fixed = peel(line, True)
        if misreading.layered and fixed != line and _C1_CONTROL.search(fixed) is not None:
            return line  # a layer the next one did not undo: not mojibake of mojibake after all
        return _fold_produced_width(line, fixed)

    return step

#: Blocks a UTF-8 sequence decoded from a misreading should not land in: IPA, spacing modifier
#: letters and lone combining marks (U+0250..U+036F), and rare scripts (Syriac .. Samaritan,
#: U+0700..U+08FF). Genuine Cyrillic capitals followed by Ukrainian or Serbian letters decode there
#: ("ВІКІ" would read as "²ʲ"), mojibake of news text essentially never does.
_IMPLAUSIBLE_BLOCK: Final = re.compile("[\u0250-\u036f\u0700-\u08ff]")
#: Format characters (Cf: joiners, soft hyphen) stay allowed: emoji ZWJ sequences are made of them.
_IMPLAUSIBLE_CATEGORIES: Final = frozenset({"Cc", "Cn", "Co", "Cs", "Lm"})


def _plausible(decoded: str, before: str, c1: bool = False) -> bool:
    """Whether ``decoded`` (one undone sequence) looks like something a page meant to show.

    ``before`` is the character just before it in the repaired line: a combining mark needs a letter
    there (Thai vowel signs after their consonant do; a mark on a space or quote does not). ``c1``:
    a C1 control is plausible too (see :attr:`_Misreading.layered`).
    """
    for ch in decoded:
        if c1 and "\x80" <= ch <= "\x9f":
            before = ch
            continue
        category = unicodedata.category(ch)
        if category in _IMPLAUSIBLE_CATEGORIES or (category.startswith("M") and not before.isalpha()):
            return False
        if _IMPLAUSIBLE_BLOCK.match(ch) and not category.startswith("M"):
            return False
        before = ch
    return True


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch)[0] == "M"


def _telltale_in_itself(run: str, decoded: str) -> bool:
    """Whether one undone run is itself evidence of mojibake, not just consistent with it (the other
    evidence is :func:`_glued_to_latin`).

    Genuine Thai or Cyrillic can happen to spell a valid sequence, letters in and letters out
    ("รฉ" -> "é", "ТІ" -> "Ҳ"). Mojibake of real text shows itself: the run reads as letters mixed
    with symbols ("โ€™", "С‚"), or it decodes to punctuation, a symbol or a space ("ยฉ" -> "©",
    "В«" -> "«"), or it sits glued to a Latin letter ("cafรฉ").
    """
    if not all(_is_letter(ch) for ch in run):
        return True
    return any(unicodedata.category(ch)[0] in "PSZ" for ch in decoded)


def _glued_to_latin(before: str, after: str) -> bool:
    """Whether a run sits next to a Latin letter (``before``/``after``: the characters around it)."""
    return any(ch.isascii() and ch.isalpha() for ch in before + after)


#: What :func:`_read_run` finds in its memo for a run it has not met.
_UNREAD: Final = _Run("", False, False, False)


def _read_run(run: str, misreading: _Misreading) -> _Run | None:
    """One suspicious run decoded and judged as far as it can be judged alone; ``None`` if its bytes
    are not UTF-8.

    Remembered per misreading: a page repeats the same few runs on line after line, and decoding and
    judging one costs more than all the rest of undoing it.
    """
    known = misreading.runs.get(run, _UNREAD)
    if known is not _UNREAD:
        return known
    raw = bytes(0xA0 if ch == " " else misreading.to_byte[ch] for ch in run)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        read = None
    else:
        # _plausible looks at the character before only to ask whether it is a letter.
        c1 = misreading.layered
        read = _Run(decoded, _plausible(decoded, "a", c1), _plausible(decoded, "", c1), _telltale_in_itself(run, decoded))
    if len(misreading.runs) < _RUNS_REMEMBERED:
        misreading.runs[run] = read
    return read


def _undo(line: str, misreading: _Misreading, judge: bool = True) -> str:
    """Undo ``misreading`` on every suspicious run of ``line``, or return ``line`` unchanged.

    All or nothing per line: every run that decodes to plausible characters is replaced, and the
    result is kept only if (1) at least one run is a telltale of mojibake (:func:`_telltale_in_itself`,
    :func:`_glued_to_latin`; a
    space standing for a lost NBSP byte never is), (2) no letter of the code page's script is left
    outside the runs, and (3) ftfy does not rate the result worse than the input.
    """
    first, last = misreading.leads
    if not _in_range(line, first, last):
        return line  # no run can start anywhere: spares the scan for one (a Thai or Cyrillic misreading on most lines)
    pieces: list[str] = []  # the gaps between the runs undone, each followed by its run undone
    pos = 0
    telltales = 0
    stray = misreading.stray
    for match in misreading.sequence.finditer(line):
        if stray is not None:
            # At the first run: a letter of the script that no run can hold ("ม", "я") would be left
            # outside, so (2) fails; genuine Thai or Russian ends here instead of being read run by run.
            if stray.search(line) is not None:
                return line
            stray = None
        read = _read_run(match.group(), misreading)
        if read is None:
            continue
        start, end = match.span()
        gap = line[pos:start]
        before = gap[-1:] or (pieces[-1][-1:] if pieces else "")
        if not (read.plausible_after_letter if before.isalpha() else read.plausible_after_other):
            continue
        decoded = read.decoded
        if match.start(1) >= 0:  # the group lost_a0: a lead before the space its byte 0xA0 became
            if decoded == "à" and line[end : end + 1] != " ":
                # "à" is a word of its own (French, Portuguese, Italian): the NBSP byte and the
                # space after the word were collapsed into one space, so the word space stays.
                decoded = "à "
        elif read.telltale or _glued_to_latin(line[start - 1 : start] if start else "", line[end : end + 1]):
            telltales += 1
        pieces.append(gap)
        pieces.append(decoded)
        pos = end
    if not telltales:
        return line
    tail = line[pos:]
    if misreading.native.search(tail) or misreading.native.search("".join(pieces[::2])):
        return line
    pieces.append(tail)
    fixed = "".join(pieces)
    if not judge:
        return fixed  # the caller applies (3)
    # ftfy's badness counts matches in full; a result without any needs no count.
    return fixed if not _is_bad(fixed) or _badness(fixed) <= _badness(line) else line


# --- the pre-check --------------------------------------------------------------------------------


def _suspect_pattern() -> re.Pattern[str]:
    """A regex matching where a line could hold mojibake or another character ftfy would fix.

    A hit is a character that is a UTF-8 lead byte in some code page followed by one that is a
    continuation byte *in the same code page* (pairs across code pages, like "ção", must not count:
    they are ordinary accented text), or a character that is never correct text (C1 and C0
    controls, surrogates, U+FFFD, Latin ligatures), an "Ã"/"Г" before a space (the NBSP byte of "à"
    lost), or an HTML entity. The pattern starts with one character class so the regex engine can
    skip through clean text at C speed.
    """
    tables = [_byte_table(enc, None)[0] for enc in CHARMAP_ENCODINGS]
    tables += [_byte_table("cp874", "cp1252")[0], _byte_table("cp1251", None)[0]]
    pairs: dict[str, set[str]] = {}
    for table in tables:
        pairs.setdefault("".join(sorted(set(table[0xC2:0xF5]))), set()).update(table[0x80:0xC0])
    singles = (
        "".join(map(chr, range(0x80, 0xA0)))
        + "".join(chr(cp) for cp in _CONTROL_REMOVAL)
        + "".join(chr(cp) for cp in LIGATURES)
        + "\ufffd\x1b"
        + "".join(map(chr, range(0xD800, 0xE000)))
    )
    leads = "".join(pairs) + singles + "ÃГ&"
    all_conts = _char_class("".join("".join(conts) for conts in pairs.values()))
    # The lookahead on the union of continuations rejects the common case (a curly quote or a dash
    # followed by a letter or space) before trying the per-code-page pairs one by one.
    pair_branches = "|".join(
        f"(?<={_char_class(lead)}){_char_class(''.join(conts))}" for lead, conts in pairs.items()
    )
    branches = [
        f"(?={all_conts})(?:{pair_branches})",
        f"(?<={_char_class(singles)})",
        "(?<=[ÃГ]) ",
        "(?<=&)#?[0-9A-Za-z]{1,32};",
    ]
    return re.compile(f"{_char_class(leads)}(?:{'|'.join(branches)})")


_SUSPECT: Final = _suspect_pattern()


def could_hold_mojibake(text: str) -> bool:
    """Whether ``text`` could hold anything :func:`repair` would change; ``False`` means it is safe to skip.

    >>> could_hold_mojibake("Plain ASCII, and “curly quotes”, café — fine.")
    False
    >>> could_hold_mojibake("Chinaâ€™s plan"), could_hold_mojibake("Chinaโ€™s plan")
    (True, True)
    """
    return _marked_by_sight(text) is None and suspect(text)


def suspect(text: str) -> bool:
    """:func:`could_hold_mojibake` of a text its cheap tests have already let through (the pattern alone)."""
    return _SUSPECT.search(text) is not None


def _marked_by_sight_py(text: str) -> str | None:
    """``text`` with its common punctuation (:data:`~dedup.clean.lines._COMMON_PUNCT`) as "~", if
    that is ASCII and printable, holds no "~~" and ``text`` no "&"; else None. Such a text holds
    nothing :data:`_SUSPECT` can match, found with a few C scans that cost a fraction of the
    pattern's; the marked text serves :class:`~dedup.clean.lines.LineText` too (its words).

    The only ASCII characters the pattern can start at are "&" and the unprintable ones. That
    punctuation is printable, no space, and nothing :func:`repair` changes alone, but some of it is a
    UTF-8 lead or continuation byte in one code page or another (MacRoman reads "’" for 0xD5, "©"
    for 0xA9): only two of them side by side can be mojibake ("’™").
    """
    marked = text
    if not text.isascii():
        for c in _COMMON_PUNCT:
            if c in marked:
                marked = marked.replace(c, "~")
        # Two marks side by side may be two punctuation characters (or a "~" of the line's own:
        # declining then is only slower).
        if not marked.isascii() or "~~" in marked:
            return None
    # The punctuation is printable: ``text`` is printable if ``marked`` is, which is ASCII and tested
    # by deleting its printable bytes (3x faster than str.isprintable, which reads the Unicode
    # tables character by character).
    if "&" in text or marked.encode("ascii").translate(None, _PRINTABLE_ASCII):
        return None
    return marked


#: The common punctuation as the C module takes it (see marked_by_sight and plain_parts).
_PUNCT: Final = "".join(_COMMON_PUNCT)
_NATIVE_MARKED: Final = native("marked_by_sight")
#: :func:`_marked_by_sight_py`, in one pass of C where the package was built with a compiler
#: (``dedup/clean/_native.c``; a test holds the two to the same results).
_marked_by_sight: Final[Callable[[str], str | None]] = (
    _marked_by_sight_py if _NATIVE_MARKED is None else functools.partial(_NATIVE_MARKED, _PUNCT)
)


#: The printable ASCII bytes (space to tilde).
_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))


# --- repair ---------------------------------------------------------------------------------------

#: One round of repairs, in order. The Thai misreading goes before ftfy (ftfy knows no Windows-874
#: and might half-fix such a line), then whole-line Windows-1252 and Windows-1251 misreadings
#: (ftfy's commonest cases, undone here at a fraction of its cost: a line left clean needs no ftfy);
#: the Cyrillic one again after ftfy, on any line, as a fallback for what ftfy declines.
_STEPS: Final[tuple[tuple[str, Callable[[str], str]], ...]] = (
    (_CP874.name, lambda line: _undo(line, _CP874)),
    (_CP1252_WHOLE.name, _undo_where_ftfy_would(_CP1252_WHOLE)),
    (_CP1251_WHOLE.name, _undo_where_ftfy_would(_CP1251_WHOLE)),
    ("ftfy", _ftfy),
    (_CP1251.name, lambda line: _undo(line, _CP1251)),
    ("control-chars", _remove_controls),
)
#: Mojibake stacked deeper than this is beyond repair anyway; the cap bounds the work per line.
_MAX_ROUNDS: Final = 4


def _repair_line(line: str, known_suspect: bool = False) -> tuple[str, str]:
    """The repaired line and the names of the fixes that changed it ("" if none did).

    ``known_suspect``: the caller has just found :data:`_SUSPECT` in ``line`` (a scan of the whole
    line, not repeated here).
    """
    fixes: list[str] = []
    suspect = known_suspect or _SUSPECT.search(line) is not None  # of the line as it is now
    for _ in range(_MAX_ROUNDS):
        # Checked every round: a line repaired into clean text needs no second round to prove it.
        if not suspect:
            break
        start = line
        for name, step in _STEPS:
            fixed = step(line)
            if fixed != line:
                line = fixed
                if name not in fixes:
                    fixes.append(name)
                suspect = _SUSPECT.search(line) is not None
                if not suspect:
                    # Nothing left for the remaining steps to do; spares ftfy (the slow part).
                    break
        # Each round can peel one more layer (mojibake of mojibake); stop at a fixed point so that
        # repairing repaired text changes nothing.
        if line == start:
            break
    return line, ",".join(fixes)


def repair(text: str) -> str:
    """Repair mojibake and odd characters in ``text``; lines and whitespace stay exactly as they are.

    Lines are split on ``"\\n"`` only and repaired one by one, so a repair never reaches across a
    line break.

    >>> repair("SHANGHAI (Reuters)ย\\u00a0\\nHÃ´tel de Police")
    'SHANGHAI (Reuters)\\xa0\\nHôtel de Police'
    """
    if not _SUSPECT.search(text):
        return text
    return "\n".join(_repair_line(line)[0] for line in text.split("\n"))


_new: Final = object.__new__


def new_repair(line_no: int, before: str, after: str, fix: str) -> Repair:
    """``Repair(line_no, before, after, fix)``, some 4x faster: the frozen dataclass's generated
    ``__init__`` runs as plain Python and sets each field through ``object.__setattr__``; this
    fills the instance's ``__dict__`` as that ends up doing (the same record: a test compares them).
    """
    r = _new(Repair)
    d = r.__dict__
    d["line_no"] = line_no
    d["before"] = before
    d["after"] = after
    d["fix"] = fix
    return r


def repair_lines(lines: list[str]) -> tuple[list[str], list[Repair]]:
    """Repair each line as :func:`repair` does, and explain every change.

    Returns the repaired lines (same length and order) and one :class:`Repair` per changed line,
    whose ``fix`` names what changed it, e.g. ``"ftfy"``, ``"mojibake:cp874+cp1252"`` or
    ``"mojibake:cp1251"`` (several joined by commas, in the order they applied).

    >>> repair_lines(["fine", "Chinaโ€™s vision"])
    (['fine', 'China’s vision'], [Repair(line_no=1, before='Chinaโ€™s vision', after='China’s vision', fix='mojibake:cp874+cp1252')])
    """
    # One scan of the whole page settles the common case (nothing to repair) without a regex call
    # per line.
    if not _SUSPECT.search("\n".join(lines)):
        return list(lines), []
    if len(lines) == 1:  # that scan was the line's own
        return repair_suspect(lines[0])
    out: list[str] = []
    repairs: list[Repair] = []
    for line_no, line in enumerate(lines):
        fixed, fix = _repair_line(line)
        out.append(fixed)
        if fixed != line:
            repairs.append(new_repair(line_no, line, fixed, fix))
    return out, repairs


def repair_suspect(line: str) -> tuple[list[str], list[Repair]]:
    """:func:`repair_lines` of the one line ``[line]``, which :func:`suspect` has just found suspect:
    the cleaner's call, for each new line that could hold mojibake, without scanning it twice more
    for what that test has found."""
    fixed, fix = _repair_line(line, True)
    return [fixed], [new_repair(0, line, fixed, fix)] if fixed != line else []


# --- whitespace (for the cleaner; repair leaves whitespace alone) ---------------------------------

#: Invisible characters that are not whitespace to Python but separate or join nothing a reader
#: sees: zero-width space, word joiner, BOM, Mongolian vowel separator, soft hyphen, and the control
#: characters :func:`repair` removes (so a line of nothing but those is blank either way). Zero-width
#: (non-)joiners stay: they shape Persian, Indic scripts and emoji sequences.
_INVISIBLE: Final[Mapping[int, None]] = MappingProxyType(
    {cp: None for cp in (0x200B, 0x2060, 0xFEFF, 0x180E, 0x00AD, *_CONTROL_REMOVAL)}
)


def _class_of(codepoints: list[int]) -> str:
    return "[" + "".join(re.escape(chr(cp)) for cp in sorted(codepoints)) + "]"


#: Any invisible character :func:`normalize_space` removes.
_HAS_INVISIBLE: Final = re.compile(_class_of(list(_INVISIBLE)))
#: Anything :func:`normalize_space` changes besides a plain space at either end: a run of spaces, any
#: other whitespace character (what ``str.split()`` splits on) or an invisible character.
_ODD_SPACE: Final = re.compile(
    "  |" + _class_of([cp for cp in range(0x3001) if chr(cp).isspace() and cp != 0x20] + list(_INVISIBLE))
)


def _plain_parts_py(line: str) -> tuple[str, str] | None:
    """For a line that :func:`could_hold_mojibake` rules out by its cheap tests alone (most lines,
    see :func:`_marked_by_sight`): ``normalize_space(line)``, and the line marked (its common
    punctuation as "~", ASCII); ``None`` for any other line.

    >>> plain_parts("  Breaking  News "), plain_parts("It’s — fine"), plain_parts("caf\u00e9"), plain_parts("AT&T")
    (('Breaking News', '  Breaking  News '), ('It’s — fine', 'It~s ~ fine'), None, None)
    """
    marked = _marked_by_sight(line)
    if marked is None:
        return None
    # The punctuation is no space, the plain space is the only printable ASCII one, and no
    # invisible character is ASCII or that punctuation.
    return (line.strip(" ") if "  " not in line else " ".join(line.split())), marked


_NATIVE_PLAIN: Final = native("plain_parts")
#: :func:`_plain_parts_py`, in C where the package was built with a compiler (its test for two
#: spaces made in the pass that marks the line; a test holds the two to the same results).
plain_parts: Final[Callable[[str], tuple[str, str] | None]] = (
    _plain_parts_py if _NATIVE_PLAIN is None else functools.partial(_NATIVE_PLAIN, _PUNCT)
)


def normalize_space(line: str) -> str:
    """Every kind of space (NBSP, thin, ideographic, tabs, ...) as one plain space; invisible
    characters removed; runs collapsed; ends stripped.

    >>> normalize_space("  a\\u00a0\\u00a0b\\u2009c\\u200bd\\te ")
    'a b cd e'
    """
    # Most lines hold nothing but single plain spaces. Every whitespace character but the space, and
    # every invisible one but U+FFFC, is unprintable, so two C scans prove it (the regex the third).
    if "  " not in line and (line.isprintable() and "\ufffc" not in line or _ODD_SPACE.search(line) is None):
        return line.strip(" ")
    if _HAS_INVISIBLE.search(line) is not None:
        line = line.translate(_INVISIBLE)
    # str.split() with no separator splits on every Unicode whitespace character and drops empties.
    return " ".join(line.split())
