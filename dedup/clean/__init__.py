"""Cleaning: repair characters, strip boilerplate, drop off-topic lines, and say why.

>>> from dedup.clean import clean
>>> page = "Home\\nNews\\nSport\\nWeather\\nRain returns to the valley after a dry summer, forecasters said on Monday.\\n© 2025 Valley Post"
>>> clean(page).text
'Rain returns to the valley after a dry summer, forecasters said on Monday.'
>>> [r.rule for r in clean(page).removed]
['menu_run', 'menu_run', 'menu_run', 'menu_run', 'page_furniture']
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import Any, Final

from ..config import CleanConfig
from ..document import Cleaned, Removal, Repair
from .html import html_to_text, is_html
from .lines import Line, LineText, native
from .repair import (
    could_hold_mojibake,
    new_repair,
    normalize_space,
    plain_parts,
    repair,
    repair_lines,
    repair_suspect,
    suspect,
)
from .rules import FIRST_PASS_ONLY, RULES, Page, Rule

__all__ = ["COMPILED", "clean", "clean_html", "clean_text", "forget_lines", "is_html", "repair", "settled_line"]

#: Whether the cleaner runs compiled (mypyc, see setup.py) rather than as plain Python; same results.
COMPILED: Final[bool] = not __file__.endswith(".py")


#: The settings of a call that gives none (frozen, so one instance serves every call).
_DEFAULT_CONFIG: Final = CleanConfig()


def clean(text: str, config: CleanConfig | None = None) -> Cleaned:
    """Clean one scraped page (text, or HTML when detected or forced by ``config.html``).

    Returns the kept lines (one paragraph per line, input order, whitespace normalised, characters
    repaired), every dropped non-blank line with the rule and evidence, and the repairs.
    """
    config = config or _DEFAULT_CONFIG
    if _as_html(text, config):
        return clean_html(text, config)
    return _clean_text(text, config, "text", True)


def clean_text(text: str, config: CleanConfig | None = None) -> str:
    """``clean(text, config).text``, without building the explanation (the removed lines and the
    repairs): what clustering needs. The same text, always (tested); 3.4% fewer instructions a
    document of the generated stream (2.718 -> 2.626 M, ``benchmarks/clean_instructions.py``)."""
    config = config or _DEFAULT_CONFIG
    if _as_html(text, config):
        return clean_html(text, config).text
    return _clean_text(text, config, "text", False).text


def _as_html(text: str, config: CleanConfig) -> bool:
    """Whether the input goes through the HTML path: detected, or forced by ``config.html``."""
    return is_html(text) if config.html is None else config.html


def clean_html(html: str, config: CleanConfig | None = None) -> Cleaned:
    """Clean an HTML page: trafilatura extracts the article, then the text rules run on it.

    Some characters are repaired in the HTML source already: the parser drops the C1 control
    characters that some mojibake is made of (the ``\\x9d`` of ``â€\\x9d`` for ``”``) and
    trafilatura turns no-break spaces into spaces (the ``\\xa0`` of ``Â\\xa0``, a no-break space
    read as Windows-1252), after which the sequence can no longer be undone. Only the source lines
    holding such a character are repaired there; the rest of the page is repaired as text, after
    extraction. Repairs made in the source are not listed in ``repairs``.
    """
    config = config or _DEFAULT_CONFIG
    if config.repair:
        html = _repair_fragile_lines(html)
    return _clean_text(html_to_text(html), config, "html", True)


#: Characters that HTML parsing or trafilatura drops or changes, so that a mojibake sequence
#: holding one can only be undone in the source: C1 controls and the no-break space.
_FRAGILE: Final = re.compile("[\x80-\x9f\xa0]")


def _repair_fragile_lines(html: str) -> str:
    """``html`` with the lines holding a :data:`_FRAGILE` character repaired (:func:`repair_lines`).

    Repairing every line of the source cost as much as trafilatura's own extraction (some 25 ms a
    page of the ScrapingHub benchmark: scripts, styles and attributes full of entities, each a
    suspect for the repair) and changed no extracted text there that these lines do not.
    """
    if _FRAGILE.search(html) is None:
        return html
    lines = html.split("\n")
    at = [i for i, line in enumerate(lines) if _FRAGILE.search(line) is not None]
    fixed, _ = repair_lines([lines[i] for i in at])
    for i, line in zip(at, fixed, strict=True):
        lines[i] = line
    return "\n".join(lines)


def _clean_text(text: str, config: CleanConfig, input_kind: str, explain: bool) -> Cleaned:
    """The cleaned page; without ``explain``, its ``removed`` and ``repairs`` are left empty."""
    memo = _PREPARED[config.repair]
    repairs: list[Repair] = []
    later: list[Repair] = []  # repairs of normalised lines, listed after the others
    lines: list[Line] = []
    for i, prepared in enumerate(memo.lines(text)):
        if explain:
            for before, after, fix in prepared.repairs:
                repairs.append(new_repair(i, before, after, fix))
            for before, after, fix in prepared.later:
                later.append(new_repair(i, before, after, fix))
        if prepared.line is not None:
            lines.append(Line(i, len(lines), prepared.line))
    repairs += later
    rules, rest = _PASSES[config.offtopic]
    removed: list[Removal] | None = [] if explain else None
    # Rules read context (neighbours, zones, the document's vocabulary), and dropping a line changes
    # the context of the others; repeating until nothing changes makes the result a fixed point, so
    # cleaning cleaned text changes nothing (idempotence). Context-free verdicts are kept on the
    # lines, so a repeated pass only redoes the contextual work, without the rules that cannot
    # find more in it (rules.FIRST_PASS_ONLY).
    page = _page_of(lines)
    while True:
        page, dropped = _apply_rules(page, rules, removed)
        if not dropped:
            break
        rules = rest
    lines = list(page.lines)
    out = _new(Cleaned)  # Cleaned(text, removed, repairs, input_kind), see _removal
    d = out.__dict__
    d["text"] = "\n".join(ln.text for ln in lines)
    if removed is None:
        d["removed"] = ()
    else:
        removed.sort(key=lambda r: r.line_no)
        d["removed"] = tuple(removed)
    d["repairs"] = tuple(repairs)
    d["input_kind"] = input_kind
    return out


def _passes(offtopic: bool) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The rules of a page's first pass, and of every later one (without those of
    :data:`~dedup.clean.rules.FIRST_PASS_ONLY`)."""
    first = RULES if offtopic else tuple(r for r in RULES if r.__name__ != "offtopic")
    return first, tuple(r for r in first if r.__name__ not in FIRST_PASS_ONLY)


#: :func:`_passes` by ``CleanConfig.offtopic`` (made once: reading a function's name is not free).
_PASSES: Final = {True: _passes(True), False: _passes(False)}


#: Rounds of repair and whitespace normalisation a line gets before it is taken as it is.
_MAX_SETTLE: Final = 3


class _Prepared:
    """One input line as the rules get it: its features (``None`` for a blank line) and the repairs
    that made it, as ``(before, after, fix)``; ``later`` are those made after whitespace was
    normalised (see :func:`_settle`)."""

    __slots__ = ("later", "line", "repairs")

    def __init__(self, original: str, repair_chars: bool) -> None:
        parts = plain_parts(original)
        if parts is not None:  # nothing to repair, only spaces to normalise: most lines
            text = parts[0]
            self.repairs: tuple[tuple[str, str, str], ...] = ()
            self.later: tuple[tuple[str, str, str], ...] = ()
            self.line = LineText(text, parts[1]) if text else None
            return
        repaired = original
        self.repairs = ()
        later: list[Repair] = []
        # could_hold_mojibake is the test repair_lines starts with: most lines stop there, spared
        # the lists a call builds. plain_parts has made its cheap tests: only the pattern is left.
        if repair_chars and suspect(original):
            fixed, found = repair_suspect(original)
            repaired = fixed[0]
            self.repairs = tuple((r.before, r.after, r.fix) for r in found)
        text = _settled(original, repaired, later if repair_chars else None)
        self.later = tuple((r.before, r.after, r.fix) for r in later)
        self.line = LineText(text) if text else None


#: Input lines :class:`_PreparedLines` keeps in each of its two generations, and the longest it
#: keeps: together they bound its memory (some tens of MB at most) on a long stream of pages. Lines
#: that recur are short (menus, footers, bylines, captions); a long paragraph recurs only where a
#: story is carried again, and costs more memory than it would save time.
PREPARED_LIMIT: Final = 10_000
PREPARED_MAX_CHARS: Final = 200


class _PreparedLines:
    """Input line -> its :class:`_Prepared`, made on first sight and kept while it recurs.

    A site's menus, footers, bylines and captions recur on every page it serves: each is repaired,
    normalised and measured once.

    Two generations: new lines go into the young one; when it is full it becomes the old one (the
    previous old one is dropped), and a line found in the old one moves back into the young one,
    so the lines a stream keeps meeting stay whatever streams past them, and memory stays bounded.
    Every value is a function of its key (and of whether characters are repaired) alone: what the
    memo holds never changes a result, only how soon it comes.
    """

    __slots__ = ("_native", "_old", "_young", "limit", "repair_chars")

    def __init__(self, repair_chars: bool, limit: int = PREPARED_LIMIT) -> None:
        self.repair_chars = repair_chars
        self.limit = limit
        self._young: dict[str, _Prepared] = {}
        self._old: dict[str, _Prepared] = {}
        #: The same memo in C where it is built (``LineMemo`` in ``_native.c``): it finds a line
        #: by its characters where they lie in the page, so a page's known lines cost no str each.
        self._native: Any = None if _LineMemo is None else _LineMemo(limit, PREPARED_MAX_CHARS, _Prepared, repair_chars)

    def lines(self, text: str) -> list[_Prepared]:
        """The :class:`_Prepared` of each line of ``text.splitlines()``, in order."""
        memo = self._native
        if memo is not None:
            lines: list[_Prepared] = memo.lines(text)
            return lines
        get = self.get
        return [get(raw) for raw in text.splitlines()]

    def get(self, line: str) -> _Prepared:
        memo = self._native
        if memo is not None:
            prepared: _Prepared = memo.get(line)
            return prepared
        if len(line) > PREPARED_MAX_CHARS:
            return _Prepared(line, self.repair_chars)
        value = self._young.get(line)
        if value is None:
            value = self._old.get(line)
            if value is None:
                value = _Prepared(line, self.repair_chars)
            if len(self._young) >= self.limit:
                self._old = self._young
                self._young = {}
            self._young[line] = value
        return value

    def __len__(self) -> int:
        if self._native is not None:
            return len(self._native)
        return len(self._young) + len(self._old)

    def clear(self) -> None:
        if self._native is not None:
            self._native.clear()
        self._young = {}
        self._old = {}


#: The C memo of lines (see :class:`_PreparedLines`), None where the C module is not built.
_LineMemo: Final[Any] = native("LineMemo")


#: One memo per setting of ``CleanConfig.repair``.
_PREPARED: Final[dict[bool, _PreparedLines]] = {False: _PreparedLines(False), True: _PreparedLines(True)}


def forget_lines() -> None:
    """Forget the input lines prepared so far (see :class:`_PreparedLines`).

    Frees their memory, and makes the next page cost what a page of a site never seen costs (what
    a benchmark of distinct pages should measure). Results never depend on it.
    """
    for memo in _PREPARED.values():
        memo.clear()


def settled_line(line: str, repair_chars: bool = True) -> str:
    """One input line as the cleaner sees it: repaired and whitespace-normalised, to a fixed point.

    Every line :func:`clean` outputs is ``settled_line`` of some input line (it never invents text).
    """
    prepared = _Prepared(line, repair_chars)
    return prepared.line.text if prepared.line is not None else ""


def _settled(original: str, repaired: str, repairs: list[Repair] | None) -> str:
    text = normalize_space(repaired)
    if repairs is not None and text and text != original:
        text = _settle(text, repairs)
    if not text and repaired:
        # A line that repair emptied (nothing but control characters) is still a dropped input
        # line: it is judged with its original characters, so symbol_line reports it.
        text = normalize_space(original)
    return text


def _settle(text: str, repairs: list[Repair]) -> str:
    """Repair a normalised line again until it stops changing.

    A repair can depend on the whitespace around the bytes it undoes (a no-break space next to a
    lone C1 character), so the normalised line may repair differently from the raw one; taking
    the fixed point makes cleaning the output change nothing (idempotence).
    """
    for _ in range(_MAX_SETTLE):
        if not could_hold_mojibake(text):
            return text
        fixed, found = repair_suspect(text)
        if not found:
            return text
        repairs.append(new_repair(0, text, found[0].after, found[0].fix))
        settled = normalize_space(fixed[0])
        if settled == text:
            return text
        text = settled
    return text


def _page_counts_py(word_sets: list[AbstractSet[str]]) -> tuple[dict[str, int], set[str], int]:
    """The page's word counts as :class:`Page` keeps them, given each line's content words: content
    word -> the number of lines holding it, for the words held by two lines or more (its ``df``;
    most words of a page are held by one line), those words as a set (its ``shared``) and the
    number of distinct words (its ``distinct``).

    The stand-in of ``page_counts`` in ``_native.c``: the same dict, with its items in the same
    order, and the same set. Counted here word by word into a dict, a page's some 350 words cost
    some 600 instructions each; the C function counts them in a table of its own and makes only
    the small dict.
    """
    counts: dict[str, int] = {}
    for words in word_sets:
        _count_elements(counts, words)
    df = {w: n for w, n in counts.items() if n > 1}
    return df, {w for w in df}, len(counts)  # the set added to one by one, as the C function does


def _count_in_python(counts: dict[str, int], words: Iterable[str]) -> None:
    for w in words:
        counts[w] = counts.get(w, 0) + 1


#: ``counts[w] += 1`` for every ``w`` of an iterable, starting from 0: what ``collections.Counter``
#: counts with, in C where CPython has it (some 3x faster than the same loop compiled).
_count_elements: Final[Callable[[dict[str, int], Iterable[str]], None]] = getattr(
    collections, "_count_elements", _count_in_python
)

#: :func:`_page_counts_py`, in C where the C module is built.
_page_counts: Final[Callable[[list[AbstractSet[str]]], tuple[dict[str, int], set[str], int]]] = (
    native("page_counts") or _page_counts_py
)


def _page_of(lines: list[Line]) -> Page:
    """The :class:`Page` of these lines as the rules first see it, with its word counts."""
    df, shared, distinct = _page_counts([ln.words for ln in lines])
    return Page(lines, df, shared=shared, distinct=distinct)


_new: Final = object.__new__


def _removal(line_no: int, text: str, rule: str, evidence: str) -> Removal:
    """``Removal(line_no, text, rule, evidence)``, some 4x faster (records of a page: see also
    :func:`~dedup.clean.repair.new_repair`, and the end of :func:`_clean_text`).

    A frozen dataclass's generated ``__init__`` runs as plain Python and sets each field through
    ``object.__setattr__``: some 6,000 instructions a record, and a page drops about 30 lines (6% of
    cleaning a page of the generated stream). This fills the instance's ``__dict__`` directly, as
    that ``__init__`` ends up doing; the record is the same (equality, hash, repr, pickling; a test
    compares them field by field).
    """
    r = _new(Removal)
    d = r.__dict__
    d["line_no"] = line_no
    d["text"] = text
    d["rule"] = rule
    d["evidence"] = evidence
    return r


def _apply_rules(page: Page, rules: tuple[Rule, ...], removed: list[Removal] | None) -> tuple[Page, bool]:
    """One pass of every rule in order; each rule sees the page the earlier ones left.

    The page's word counts are updated in place as lines go (see :meth:`Page.drop`). Returns the
    page as the last rule left it, with what it computed, for the next pass, and whether any line
    went; each dropped line's record goes to ``removed`` (unless None).
    """
    dropped = False
    for rule in rules:
        verdicts = rule(page)
        if not verdicts:
            continue  # the page is unchanged, and so is everything it computed
        dropped = True
        order = sorted(verdicts)  # ints sort much faster than the (position, why) pairs
        if removed is not None:
            name = rule.__name__
            lines = page.lines
            for i in order:
                removed.append(_removal(lines[i].index, lines[i].text, name, verdicts[i]))
        page = page.drop(order)
    return page, dropped
