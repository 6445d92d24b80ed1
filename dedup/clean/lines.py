"""Features of one line of a scraped page, computed once and read by every rule.

A line is one paragraph of the page after character repair and whitespace normalisation. The
features are cheap, context-free facts (how many words, how it ends, whether it is a bullet); the
rules in :mod:`dedup.clean.rules` combine them with the line's neighbours and the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final


def native(name: str) -> Any:
    """The function ``name`` of the C module ``dedup/clean/_native.c``, or None where the module is
    not built (an editable install, no compiler): the caller then uses the function's stand-in."""
    try:
        from dedup.clean import _native
    except ImportError:
        return None
    return getattr(_native, name)


def _mark_class() -> str:
    """The combining marks (Unicode category M) of the blocks where words are spelt with them
    (combining diacritics, Hebrew, Arabic, the Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer,
    and their extensions), as the inside of a character class."""
    import unicodedata

    out: list[str] = []
    for lo, hi in ((0x0300, 0x1DFF), (0x20D0, 0x20FF), (0xA800, 0xABFF), (0xFE00, 0xFE2F)):
        start = -1
        for cp in range(lo, hi + 2):
            mark = cp <= hi and unicodedata.category(chr(cp))[0] == "M"
            if mark and start < 0:
                start = cp
            elif not mark and start >= 0:
                out.append(re.escape(chr(start)) + ("-" + re.escape(chr(cp - 1)) if cp - 1 > start else ""))
                start = -1
    return "".join(out)


_MARKS: Final = _mark_class()
#: A combining mark (see :func:`_mark_class`).
_MARK: Final = re.compile(f"[{_MARKS}]")
#: Words of a line: runs of letters, digits and the combining marks they are spelt with, any script.
#: (``\w`` alone stops at a mark: Hindi "नमस्ते" would be "नमस" and "त", a decomposed "te\u0301cnicas"
#: would fall apart the same way.)
WORD: Final = re.compile(f"[\\w{_MARKS}]+")
#: ``str.lower`` as CPython has it, for text that may not be ASCII. Compiled, ``text.lower()`` is
#: mypyc's own primitive, which lowers character by character and misses Greek's final sigma ("Σ" at
#: the end of a word is "ς"): the compiled and the plain cleaner would read such text differently.
lower: Final[Callable[[str], str]] = str.lower
#: Bytes that are not ``\\w`` on ASCII text, as spaces, and the letters lower-cased: on an ASCII line,
#: ``text.encode().translate(_NON_WORD_LOWER).decode().split()`` is ``WORD.findall(text.lower())`` at a
#: fraction of the cost.
_NON_WORD_LOWER: Final = bytes(ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else 32
                               for c in range(128)) + bytes(128)
#: Punctuation that makes most non-ASCII lines non-ASCII (quotes, dashes, ellipsis, bullets, signs); none
#: is a ``\\w`` character, so turning them into spaces changes no word of a line.
_COMMON_PUNCT: Final = tuple("’‘“”–—…•·«»©®™°€£′″")
assert not any(WORD.match(c) for c in _COMMON_PUNCT)
#: Words long enough to tell title case from prose.
LONG_WORD: Final = re.compile(r"\w{4,}")
#: A leading bullet or list marker ("• ", "- ", "* ", "1. ", "a) ").
BULLET: Final = re.compile(r"^(?:[•·▪▫►‣◦●○■□➤➢✓✔→»*+\-–—]+\s*|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][)]\s+)")
#: First characters a bullet can start with (checked before the regex).
_BULLET_FIRST: Final = frozenset("•·▪▫►‣◦●○■□➤➢✓✔→»*+-–—(0123456789")
#: Sentence-final punctuation, allowing closing quotes and brackets after it: Latin, Chinese and
#: Japanese, the Devanagari and Bengali danda, the Myanmar, Ethiopic and Urdu full stops.
SENTENCE_END: Final = re.compile(r"[.!?…。！？।॥။።۔](?:[\"'”’»)\]]+)?$")
#: Last characters that can end a sentence, checked before the regex (closing quotes included).
_FINAL_CHARS: Final = frozenset(".!?…。！？।॥။።۔\"'”’»)]")
#: The sentence-final marks and the closing quotes and brackets that may follow them (see :data:`SENTENCE_END`).
_SENTENCE_FINALS: Final = frozenset(".!?…。！？।॥။።۔")
_CLOSERS: Final = frozenset("\"'”’»)]")


def _ends_sentence(text: str) -> bool:
    """``SENTENCE_END.search(text[-8:]) is not None`` for a text without line breaks (as a line is),
    without the pattern (whose search costs some 4,000 instructions a line, set-up mostly): the
    last character of the last 8 that is no closing quote or bracket is a sentence-final mark (a
    test compares the two).

    >>> _ends_sentence('He said so.”'), _ends_sentence("Read more »"), _ends_sentence("Wait.)))))))))")
    (True, False, False)
    """
    low = max(0, len(text) - 8)
    i = len(text) - 1
    while i >= low and text[i] in _CLOSERS:
        i -= 1
    return i >= low and text[i] in _SENTENCE_FINALS

#: Short function words that carry no topic; kept small and generic (English, the project's main language).
STOPWORDS: Final = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how however i if in into is it its itself just
    may me might more most must my myself no nor not now of off on once only or other our ours ourselves
    out over own same shall she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up upon very was we were what when where which while
    who whom whose why will with would you your yours yourself yourselves also said says say one two new
    like many much well even still yet within without across among via per amid around since ago back
    get got make made makes take takes taken way ways year years day days time times first last next
    according including people thing things lot lots often every according whether another others
    """.split()
)

#: Marks that separate clauses or sentences, in the scripts the cleaner meets most (any one in a long
#: line shows it is written, not listed).
_CLAUSE_MARKS: Final = tuple(".,;:!?…—–。、，；：！？،؛؟।॥။၊።፣۔")


def _has_any(text: str, needles: tuple[str, ...]) -> bool:
    """Whether the text holds one of the needles (used by the rules too)."""
    for c in needles:  # a plain loop: a generator costs more than the substring tests
        if c in text:
            return True
    return False


#: Bits of the table's hash of three characters (``TRIGRAM_BITS`` in ``_native.c``).
_TRIGRAM_BITS: Final = 8192


def _trigram(a: str, b: str, c: str) -> int:
    """The bit of three ASCII characters in the table's trigram part (``TRIGRAM`` in ``_native.c``)."""
    return ((ord(a) * 31 + ord(b)) * 31 + ord(c)) & (_TRIGRAM_BITS - 1)


#: Needles as :func:`which_in` takes them (see :func:`guards`): a table for the C module, the
#: needles in the order of their bits (the caller's, then the helpers), the bits of those the table
#: leaves out, the needles found by substring when the words' bits are known (bit, gate), how many
#: of the needles are the caller's, and the bits of the word needles (helpers included).
Guards = tuple[bytes, tuple[str, ...], tuple[int, ...], tuple[tuple[int, int], ...], int, int]

#: A run of what a lower-cased token is made of (see :data:`_NON_WORD_LOWER`): a needle that is one
#: such run lies within one token wherever it occurs in a lower-cased line.
_TOKEN_RUN: Final = re.compile("[a-z0-9_]+")
#: The shortest run of token characters of a needle that is worth a bit of its own as its gate.
_GATE_CHARS: Final = 3


def _is_word_needle(w: str) -> bool:
    """Whether the needle ``w`` (two characters or more) is made of token characters alone."""
    return len(w) >= 2 and _TOKEN_RUN.fullmatch(w) is not None


def _gate_run(w: str, words: tuple[str, ...]) -> str:
    """A run of token characters in the needle ``w`` of :data:`_GATE_CHARS` or more ("" if none
    has): the longest of those among ``words``, else the longest. Wherever ``w`` occurs in a
    lower-cased line, a token of the line holds that run."""
    runs = [r for r in _TOKEN_RUN.findall(w) if len(r) >= _GATE_CHARS]
    known = [r for r in runs if r in words]
    return max(known or runs, key=len, default="")


def guards(words: tuple[str, ...]) -> Guards:
    """``words`` (distinct, at most 64 with the helpers below) made ready for :func:`which_in`: bit
    ``k`` of its answer stands for ``words[k]``.

    The table, read by the C module: 128 x 128 bits of the first two characters of the ASCII
    needles of two characters or more, the same for those of two exactly, :data:`_TRIGRAM_BITS`
    bits of the first three characters of the longer ones (see :func:`_trigram`), then for each
    first character (0 to 128) where its needles start in the list that follows (little-endian
    uint16), and the list: each of those needles as its length, its bit and its bytes, by first
    character. The others (non-ASCII, or one character) are searched for one by one. Its tail:
    how many needles are the caller's (one byte), and the needles that are no word (below): how
    many (one byte), then each as its bit (one byte) and its gate (8 bytes, little-endian).

    A needle of token characters alone (a word needle: "photo", "subscri") lies within one token
    wherever a lower-cased line holds it, so the line holds it if and only if one of its tokens
    does: :func:`ascii_words` reads the bits of each distinct word once (the words' bits), and
    :func:`which_in` given those needs to search the line only for the other needles ("(c)",
    "rights reserved"). Each of those has a gate: the longest run of token characters in it
    ("reserved"), which a token must hold wherever the needle occurs; a run that is no needle
    itself gets a bit of its own after the caller's (a helper, left out of every answer). A needle
    is searched for only when its gate's bit is among the words' bits.

    >>> which_in("a photo credit", guards(("credit", "©", "photo", "ad")))
    5
    """
    if len(set(words)) != len(words):
        raise ValueError("guards: the needles must be distinct")
    needles = list(words)
    spans: list[tuple[int, int]] = []
    for bit, w in enumerate(words):
        if _is_word_needle(w):
            continue
        run = _gate_run(w, words)
        gate = 0
        if run:
            if run not in needles:
                needles.append(run)
            gate = 1 << needles.index(run)
        spans.append((bit, gate))
    if len(needles) > 64:
        raise ValueError("guards: at most 64 needles, the helpers included")
    pairs = bytearray(128 * 16)
    pairs_two = bytearray(128 * 16)
    trigrams = bytearray(_TRIGRAM_BITS // 8)
    by_first: list[list[bytes]] = [[] for _ in range(128)]
    others: list[int] = []
    for bit, w in enumerate(needles):
        if len(w) < 2 or not w.isascii():
            others.append(bit)
            continue
        if len(w) > 255:
            raise ValueError(f"needle longer than 255 characters: {w[:40]!r}...")
        pair = ord(w[0]) * 128 + ord(w[1])
        pairs[pair >> 3] |= 1 << (pair & 7)
        if len(w) == 2:
            pairs_two[pair >> 3] |= 1 << (pair & 7)
        else:
            t = _trigram(w[0], w[1], w[2])
            trigrams[t >> 3] |= 1 << (t & 7)
        by_first[ord(w[0])].append(bytes([len(w), bit]) + w.encode("ascii"))
    first = bytearray()
    listed = bytearray()
    for entries in by_first:
        first += len(listed).to_bytes(2, "little")
        for entry in entries:
            listed += entry
    first += len(listed).to_bytes(2, "little")
    if len(listed) > 0xFFFF:
        raise ValueError("guards: the needles take more than 65,535 bytes")
    # The table's tail: how many needles are the caller's, and the spans (bit, then gate).
    tail = bytes([len(words), len(spans)]) + b"".join(bytes([bit]) + gate.to_bytes(8, "little") for bit, gate in spans)
    word_mask = sum(1 << k for k, w in enumerate(needles) if _is_word_needle(w))
    return (bytes(pairs + pairs_two + trigrams + first + listed) + tail, tuple(needles), tuple(others), tuple(spans),
            len(words), word_mask)


def _which_in_py(text: str, found: Guards, word_bits: int = -1) -> int:
    """The bits of the needles ``text`` holds (bit ``k``: ``found[1][k]``): one substring search per
    needle. The C module (``dedup/clean/_native.c``) finds the ASCII ones in one pass over the
    text (a test compares the two).

    ``word_bits``, if not -1, are the bits of the word needles (and helpers) that ``text``'s tokens
    hold (as :func:`ascii_words` gives them; ``text`` being the lower-cased line): only the other
    needles are then searched for, each only if its gate is among them (see :func:`guards`)."""
    needles = found[1]
    if word_bits >= 0:
        bits = word_bits & ((1 << found[4]) - 1)
        for bit, gate in found[3]:
            if word_bits & gate == gate and needles[bit] in text:
                bits |= 1 << bit
        return bits
    bits = 0
    for k in range(found[4]):
        if needles[k] in text:
            bits |= 1 << k
    return bits


#: :func:`_which_in_py`, in C where it is built.
which_in: Final[Callable[..., int]] = native("which_in") or _which_in_py


#: Words one of which a paragraph must hold to be furniture (see ``rules.PROSE_TRIGGER``).
PROSE_WORDS: Final = (
    "cookie", "©", "(c)", "copyright", "rights reserved", "newsletter", "subscri", "sign", "picture", "photo",
    "image", "credit", "disclos", "disclaim", "generated", "artificial intelligence",
)
#: The alternatives of ``rules.PROSE_TRIGGER`` but "\\bai\\b" as substrings of a normalised, lower-cased line.
PROSE_WORDS_PLAIN: Final = (
    "cookie", "©", "(c)", "copyright", "rights reserved", "newsletter", "subscri", "signup", "sign up", "picture", "photo",
    "image", "credit", "disclos", "disclaim", "generated", "artificial intelligence",
)
#: What ``rules._may_forbid_copies`` looks for, and ``rules._may_disclaim``.
COPY_WORDS: Final = ("reproduc", "republish", "redistribut")
DISCLAIM_WORDS: Final = ("disclaim", "disclos", "artificial", "advice")
#: The words whose presence the furniture and disclaimer tests of a new line ask for (see
#: ``rules._guards``; each test reads its bits). Kept here, beside the tokens: a line read as ASCII
#: words has the bits of its word needles found as it is tokenised (see :func:`guards`).
GUARD_WORDS: Final = tuple(dict.fromkeys(
    (*PROSE_WORDS, *PROSE_WORDS_PLAIN, "javascript", "ctrl", *COPY_WORDS, *DISCLAIM_WORDS)
))
#: Typed Any to stay one Python object: compiled, a tuple of fixed length is held unboxed, and
#: every call given it would build a new tuple of its items.
GUARDS: Final[Any] = guards(GUARD_WORDS)


#: Characters of the scripts written without spaces between words: kana, CJK ideographs (Chinese,
#: Japanese kanji) and their compatibility forms ...
_CJK_CHARS: Final = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK: Final = re.compile(f"[{_CJK_CHARS}]")
#: ... and Thai, Lao and Khmer, whose spaces (if any) end clauses, not words.
_SEA_CHARS: Final = "\u0e00-\u0eff\u1780-\u17ff"
_SEA: Final = re.compile(f"[{_SEA_CHARS}]")
_SPACELESS: Final = re.compile(f"[{_CJK_CHARS}{_SEA_CHARS}]")
_SPACELESS_RUN: Final = re.compile(f"[{_CJK_CHARS}]+|[{_SEA_CHARS}]+|[^{_CJK_CHARS}{_SEA_CHARS}]+")
#: A long line in Thai, Lao or Khmer has no commas or stops: a space after a letter ends a clause.
_UNPUNCTUATED: Final = re.compile(f"[{_SEA_CHARS}] ")
#: Hiragana: a pair of them is mostly grammar (particles, endings), not topic.
_HIRAGANA: Final = re.compile("^[\u3040-\u309f]+$")


def _has_spaceless(text: str) -> bool:
    """Whether a text holds a Thai, Lao, Khmer, Chinese or Japanese character (the first of them is
    U+0E00: a text's largest character rules most texts out faster than the pattern's scan)."""
    return bool(text) and max(text) >= "\u0e00" and _SPACELESS.search(text) is not None


def _words(low: str) -> tuple[list[str], int]:
    """The tokens of a lower-cased text and its number of words (see :attr:`LineText.tokens`)."""
    tokens = WORD.findall(low)
    return _cjk_words(tokens) if _has_spaceless(low) else (tokens, len(tokens))


def _cjk_words(tokens: list[str]) -> tuple[list[str], int]:
    """The tokens of a line holding Chinese, Japanese, Thai, Lao or Khmer, and its number of words.

    ``\\w+`` finds a whole clause as one word in these scripts. Each run of their characters becomes
    its overlapping character pairs (how search engines index them: words are mostly one to three
    characters long, so pairs recur where words do), and counts one word per two characters. Thai,
    Lao and Khmer are alphabets: a pair of their letters is as common as an English one and tells
    no topic, so their runs become overlapping letter triples instead (the vowel and tone marks left
    out), and a word is counted per three letters.

    >>> _cjk_words(["iphoneを販売した"])
    (['iphone', 'を販', '販売', '売し', 'した'], 4)
    >>> _cjk_words(["ข่าวไทย"])
    (['ขาว', 'าวไ', 'วไท', 'ไทย'], 2)
    """
    out: list[str] = []
    n = 0
    for token in tokens:
        if _SPACELESS.search(token) is None:
            out.append(token)
            n += 1
            continue
        for run in _SPACELESS_RUN.findall(token):
            # The characters grouped, how many to a group, and how many of them make a word.
            if _CJK.match(run) is not None:
                chars, size, per_word = run, 2, 2
            elif _SEA.match(run) is not None:
                chars, size, per_word = _MARK.sub("", run), 3, 3
            else:
                chars, size, per_word = "", 0, 1
            if not chars:  # another script's word, or nothing but marks
                out.append(run)
                n += 1
                continue
            if len(chars) <= size:
                out.append(chars)
            else:
                out.extend(chars[i : i + size] for i in range(len(chars) - size + 1))
            n += (len(chars) + per_word - 1) // per_word
    return out, n


def _ascii_words_py(text: str, stopwords: frozenset[str],
                    found: Guards | None = None) -> tuple[list[str], frozenset[str], bool, int]:
    """The tokens of an ASCII text (lower-cased runs of letters, digits and "_"), its content words
    (as :func:`_content` with ``shortest=3`` finds them), whether "ai" is a token, and the bits of
    the word needles of ``found`` (see :func:`guards`) its tokens hold (-1 without ``found``, or
    where it has more than 32 needles, helpers included: the C module's memo keeps 32 bits a word).

    The C module ``dedup/clean/_native.c`` computes the same in one pass (a test compares the two);
    this is its stand-in where that module is not built.

    >>> _ascii_words_py("The AI~s big_day: 3rd quarter", STOPWORDS, guards(("quart", "big day", "ai")))
    (['the', 'ai', 's', 'big_day', '3rd', 'quarter'], frozenset({'quarter'}), True, 5)
    """
    spaced = text.encode("ascii").translate(_NON_WORD_LOWER).decode("ascii")
    tokens = spaced.split()
    # Every non-word character is a space in ``spaced``: substring tests instead of a scan of the list.
    ai = " ai " in spaced or spaced.startswith("ai ") or spaced.endswith(" ai") or spaced == "ai"
    # The cleaner's own stopwords go through the memo of content words; others (tests) are tested.
    content = _content(tokens, 3) if stopwords is STOPWORDS else frozenset(
        w for w in tokens if len(w) >= 3 and not w[0].isdigit() and "_" not in w and w not in stopwords)
    bits = -1
    if found is not None and len(found[1]) <= 32:
        # A word needle holds no space: it is in ``spaced`` only within a token.
        bits = 0
        needles, mask = found[1], found[5]
        for k in range(len(needles)):
            if mask >> k & 1 and needles[k] in spaced:
                bits |= 1 << k
    return tokens, content, ai, bits


def _lower_ascii_py(text: str) -> str:
    """``text`` with its ASCII capitals lower-cased, every other character kept (the C module's
    ``lower_ascii`` does it in one pass; a test compares the two).

    >>> _lower_ascii_py("It’s ÉTÉ")
    'it’s ÉtÉ'
    """
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


#: :func:`_lower_ascii_py`, in C where it is built.
_LOWER_ASCII: Final[Callable[[str], str]] = native("lower_ascii") or _lower_ascii_py
#: :func:`_ascii_words_py`, in C where it is built.
_ASCII_WORDS: Final[Callable[[str, frozenset[str], Guards | None], tuple[list[str], frozenset[str], bool, int]]] = (
    native("ascii_words") or _ascii_words_py
)
#: Whether :data:`_ASCII_WORDS` is the C module's.
WORDS_COMPILED: Final = _ASCII_WORDS is not _ascii_words_py
#: The guards whose word bits :class:`LineText` asks :data:`_ASCII_WORDS` for: none from the stand-in,
#: whose bits cost a search per guard word on every line, more than the searches they spare the
#: lines the rules ask (an editable install searches those lines as it did before the bits).
_WORD_GUARDS: Final[Any] = GUARDS if WORDS_COMPILED else None


#: Lines up to this many words count as short (menu items, tags, labels).
SHORT_WORDS: Final = 4
#: ...and up to this many characters (guards scripts without spaces between words).
SHORT_CHARS: Final = 40


class LineText:
    """What the text of a line tells alone: its context-free features.

    Computed once per distinct input line and shared by every line with that text, on the page and
    on later pages (see :class:`dedup.clean._PreparedLines`). The cheap features are computed up
    front; the costlier ones (content words, the comparison key, the verdicts of the context-free
    rules) on first use, since most lines never need them.
    """

    __slots__ = ("_ascii", "_key", "_words", "ai", "bullet", "comment_header", "disclaims", "ends_sentence", "furniture", "guards",
                 "has_letter", "has_word", "headline_like", "low", "n_words", "nav_items", "paragraph", "related_header", "short", "text",
                 "title_parts", "tokens", "widget", "word_guards")

    def __init__(self, text: str, marked: str | None = None) -> None:
        """``marked``, if given, is the line as it came in (before its spaces were normalised) with
        its common punctuation as "~", and ASCII (see :func:`dedup.clean.repair.plain_parts`): its
        words are the line's."""
        # One tokenisation serves the word count and the content words.
        ascii_text = text.isascii()
        if marked is not None:
            plain = marked
            ascii_words = True
        else:
            plain = text
            if not ascii_text:
                for c in _COMMON_PUNCT:
                    if c in plain:
                        plain = plain.replace(c, " ")
            ascii_words = plain.isascii()
        words: frozenset[str] | None = None
        if ascii_words:
            # Only ASCII letters have a case here (the punctuation has none), and lower-casing the
            # UTF-8 bytes, ASCII letters only, is some 4x faster than str.lower on a non-ASCII string.
            low = text.lower() if ascii_text else _LOWER_ASCII(text)
            # The tokens and the content words in one pass (nearly every line's words are asked for).
            tokens, words, ai, word_guards = _ASCII_WORDS(plain, STOPWORDS, _WORD_GUARDS)
            n = len(tokens)
        else:
            low = lower(text)
            tokens, n = _words(low)
            ai = "ai" in low and "ai" in tokens
            word_guards = -1
        #: Whether every word is ASCII (the line may still hold curly quotes and dashes).
        self._ascii = ascii_words
        #: The whitespace-normalised text, as it will be output.
        self.text = text
        #: ``text.lower()``, for the patterns' cheap substring pre-checks.
        self.low = low
        #: The lower-cased ``\\w+`` words, in order; in Chinese and Japanese, written without spaces,
        #: the overlapping character pairs of each run of their characters (see :func:`_cjk_words`).
        self.tokens = tokens
        #: Whether "ai" is one of the tokens (what two furniture tests ask of every paragraph).
        self.ai = ai
        #: Number of words: ``\\w+`` words, a run of Chinese or Japanese characters counting one per two.
        self.n_words = n
        #: Has at least one letter or digit.
        self.has_word = n > 0
        #: Ends with ``.``, ``!``, ``?`` or ``…`` (closing quotes allowed).
        self.ends_sentence = text[-1] in _FINAL_CHARS and _ends_sentence(text)
        #: Starts with a bullet or list marker.
        self.bullet = (text[0] in _BULLET_FIRST or text[1:2] == ")") and BULLET.match(text) is not None
        #: A menu-item sized line: a few words, no sentence ending.
        self.short = n <= SHORT_WORDS and len(text) <= SHORT_CHARS and not self.ends_sentence
        #: Reads like a headline: 3 to 20 words, no final period or colon.
        self.headline_like = (
            3 <= n <= 20
            and len(text) <= 180
            and text[-1] not in ".:;,…"
            and not text.endswith(("...", ".”", '."', ".’"))
        )
        #: Body text: a sentence-ending line of some length, or any long line with punctuation in it
        #: (a long line without a comma, stop or dash is a list of links, tags or options).
        self.paragraph = (n >= 10 and self.ends_sentence) or (
            n >= 25 and (_has_any(text, _CLAUSE_MARKS) or _UNPUNCTUATED.search(text) is not None)
        )
        # Verdicts of context-free rules, filled in by the rules on first use (None until then).
        #: What :func:`dedup.clean.rules.page_furniture` knows of the line alone.
        self.furniture: tuple[bool, str | None, bool, bool] | None = None
        #: The items of a one-line menu (see :func:`dedup.clean.rules.nav_bar`), [] if it is none.
        self.nav_items: list[str] | None = None
        #: What :func:`dedup.clean.rules.search_widget` calls the line ("" if nothing).
        self.widget: str | None = None
        #: Whether :func:`dedup.clean.rules.comment_section` takes it for a comment header ...
        self.comment_header: bool | None = None
        #: ... and :func:`dedup.clean.rules.related_headlines` for the header of a block of links.
        self.related_header: bool | None = None
        #: Whether it is a disclaimer (see :func:`dedup.clean.rules.disclaimer`).
        self.disclaims: bool | None = None
        #: Whether it holds a letter (``str.isalpha``; see :func:`dedup.clean.rules.symbol_line`).
        self.has_letter: bool | None = None
        #: Which words of the furniture and disclaimer tests the lower-cased text holds, as bits
        #: (see :func:`dedup.clean.rules._guards`; -1 until then).
        self.guards = -1
        #: The bits of :data:`GUARD_WORDS`' word needles its tokens hold, found as they were read
        #: (-1 for a line not read as ASCII words, or without the C module): what :attr:`guards`
        #: is computed from.
        self.word_guards = word_guards
        #: The headlines a page title line may hold (see :func:`dedup.clean.rules.title_line`).
        self.title_parts: list[str] | None = None
        self._words = words
        self._key: str | None = None

    @property
    def words(self) -> frozenset[str]:
        """Distinct content words (see :func:`content_words`), for the coherence of the document."""
        words = self._words
        if words is None:  # a line whose words are not all ASCII (the others' are read up front)
            words = _content(self.tokens, 2)
            if _CYRILLIC.search(self.low) is not None:
                words = _inflected(words)
            self._words = words
        return words

    @property
    def key(self) -> str:
        """The line as compared for repetition: case-folded, bullet stripped."""
        key = self._key
        if key is None:
            if self._ascii:  # ASCII words and caseless punctuation: casefold() is lower(), much faster
                key = BULLET.sub("", self.low) if self.bullet else self.low
            else:
                key = (BULLET.sub("", self.text) if self.bullet else self.text).casefold()
            self._key = key
        return key


class Line:
    """One non-blank line of a page: where it stands, and the features of its text.

    The features the rules read most are copied from its :class:`LineText` (``t``); the lazily
    computed ones are read through it, so they are computed once per distinct text.
    """

    __slots__ = ("bullet", "ends_sentence", "has_word", "headline_like", "index", "low", "n_words",
                 "paragraph", "rank", "short", "t", "text", "tokens")

    def __init__(self, index: int, rank: int, t: LineText) -> None:
        #: Line number (0-based) in the repaired input.
        self.index = index
        #: Position among the non-blank input lines; gaps in it show how much was dropped in between.
        self.rank = rank
        #: The features of the text, shared with every line of the same text.
        self.t = t
        self.text = t.text
        self.low = t.low
        self.tokens = t.tokens
        self.n_words = t.n_words
        self.has_word = t.has_word
        self.ends_sentence = t.ends_sentence
        self.bullet = t.bullet
        self.short = t.short
        self.headline_like = t.headline_like
        self.paragraph = t.paragraph

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text[:40]!r})"

    @property
    def words(self) -> frozenset[str]:
        """Distinct content words (see :func:`content_words`), for the coherence of the document."""
        return self.t.words

    @property
    def key(self) -> str:
        """The line as compared for repetition: case-folded, bullet stripped."""
        return self.t.key


def line_features(index: int, text: str, rank: int = 0) -> Line:
    """The line at input line ``index`` (``rank`` among the non-blank ones) with normalised,
    non-blank ``text``, and its features.

    >>> line_features(0, "• Breaking News").bullet
    True
    >>> line_features(0, "He said so.").ends_sentence
    True
    """
    return Line(index, rank, LineText(text))


def count_words(text: str) -> int:
    """Words in a text, as :attr:`LineText.n_words` counts them (Chinese and Japanese included).

    >>> count_words("市立図書館、開館時間を延長へ")
    7
    """
    return _words(lower(text))[1]


def content_words(text: str) -> frozenset[str]:
    """The distinct topic-bearing words of a text: lower-cased, 3+ letters, no stopwords.

    >>> sorted(content_words("The Best Pancakes you will love"))
    ['best', 'love', 'pancakes']
    """
    low = lower(text)
    words = _content(_words(low)[0], 2)
    return _inflected(words) if _CYRILLIC.search(low) is not None else words


#: :data:`_IS_CONTENT` is emptied when it grows past this, to bound its memory on a long stream of pages.
_CONTENT_MEMO_LIMIT: Final = 200_000


#: word -> :func:`is_content_word`, filled on first sight: words recur across lines and pages, and a
#: dict lookup costs far less than the test.
_IS_CONTENT: Final[dict[str, bool]] = {}


def _content(tokens: list[str], shortest: int) -> frozenset[str]:
    """The content words among ``tokens``; none is shorter than ``shortest`` characters (3 where
    every token is ASCII, 2 elsewhere: a pair of Chinese or Japanese characters can be one), so
    shorter tokens ("a", "of", "to": a quarter of English prose) are not even looked up."""
    # A plain loop over a plain dict: compiled, each token is one C dict lookup (through ``filter``
    # and a ``__missing__`` dict subclass it was a call of a bound method, a third slower).
    memo = _IS_CONTENT
    out: list[str] = []
    for w in tokens:
        if len(w) < shortest:
            continue
        known = memo.get(w)
        if known is None:
            if len(memo) >= _CONTENT_MEMO_LIMIT:
                memo.clear()
            known = memo[w] = is_content_word(w)
        if known:
            out.append(w)
    return frozenset(out)


#: Cyrillic words are compared by their first letters: Russian, Ukrainian, Bulgarian or Serbian
#: inflect a noun into a dozen endings ("блогер", "блогера", "блогеров"), and a page about one
#: thing would otherwise share few words with itself. Five letters is a common truncation stem.
CYRILLIC_STEM: Final = 5


class _StemMemo(dict[str, str]):
    """content word -> the form it is compared by (see :data:`CYRILLIC_STEM`), filled on first sight."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _CONTENT_MEMO_LIMIT:
            self.clear()
        value = self[word] = word[:CYRILLIC_STEM] if "\u0400" <= word[0] <= "\u04ff" else word
        return value


_STEMS: Final = _StemMemo()
_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")


def _inflected(words: frozenset[str]) -> frozenset[str]:
    """The content words of a line holding Cyrillic, as they are compared (see :data:`CYRILLIC_STEM`)."""
    return frozenset(map(_STEMS.__getitem__, words))


def is_content_word(word: str) -> bool:
    """Whether a lower-cased ``\\w+`` word is a content word (see :func:`content_words`); a pair of
    Chinese or Japanese characters is one unless both are hiragana (see :func:`_cjk_words`)."""
    if len(word) == 2 and _SPACELESS.match(word) is not None:
        return _HIRAGANA.match(word) is None
    return len(word) >= 3 and not word[0].isdigit() and "_" not in word and word not in STOPWORDS


def title_ratio(text: str) -> float:
    """Share of the words of four letters or more that start with a capital letter.

    >>> title_ratio("by Juliane Corbett")
    1.0
    """
    long_words = LONG_WORD.findall(text)
    if not long_words:
        return 0.0
    return sum(1 for w in long_words if w[0].isupper()) / len(long_words)
