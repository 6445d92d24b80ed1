"""Normalise text for matching and cut it into word n-grams (the reference path).

Normalisation is ``casefold`` followed by a per-character translation:

* quote styles fold to ``'`` / ``"``, dash styles (``‐‑‒–—―−``) to ``-``, ``…`` to ``...``;
* fullwidth ASCII forms (``Ａ``, ``１``, ``！``) fold to ASCII;
* every other non-ASCII punctuation, symbol, separator (NBSP, thin spaces, line separators), control
  character and lone surrogate becomes a space, so it separates words instead of gluing them;
* invisible format characters (soft hyphen, ZWJ/ZWNJ, word joiner, BOM) are deleted, so
  ``co\\u00adoperate`` matches ``cooperate``; the zero-width *space* is a space;
* whitespace runs collapse to one space.

Tokens are then runs of word characters of the normalised text: ASCII letters and digits, and *every*
non-ASCII character. After the translation above the only non-ASCII characters left are letters,
marks (so Devanagari or Arabic words are not split at their combining signs), digits, and unassigned
or private-use code points, so "every non-ASCII character is a word character" is exact for real text
and is the same rule the compiled kernel applies to UTF-8 bytes (every byte >= 0x80 is a word byte).
ASCII punctuation (including ``_``) separates, so ``China’s`` and ``China's`` both give ``china s``.

Both casefold and the translation act on one character at a time, independent of its neighbours.
:func:`kernel_tables` exploits that: it tabulates ``translate(casefold(c))`` per code point so the
compiled kernel in :mod:`dedup.signature` can apply exactly this normalisation to raw UTF-8 bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

__all__ = ["kernel_tables", "normalize", "shingles", "tokens"]

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\u00b4\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"

#: Non-ASCII code points covered by the tables. Casefold changes nothing at or above 0x20000, and
#: there the only non-word characters are the tag/variation block at 0xE0000, so everything else is
#: a word character unchanged by normalisation (CJK extensions, private-use planes).
_TABLE_RANGES = ((0x80, 0x20000), (0xE0000, 0xE1000))


def _fold(ch: str) -> str | None:
    """Translation of one (already casefolded) character, or ``None`` to keep it."""
    cp = ord(ch)
    if ch in _SINGLE_QUOTES:
        return "'"
    if ch in _DOUBLE_QUOTES:
        return '"'
    if ch in _DASHES:
        return "-"
    if ch == "\u2026":
        return "..."
    if 0xFF01 <= cp <= 0xFF5E:  # fullwidth ASCII block: same layout as ASCII 0x21..0x7E
        return chr(cp - 0xFEE0).lower()
    if ch == "\u200b":  # zero-width space separates words in Thai/Khmer text and in scraped HTML
        return " "
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    if category[0] in "PSZ" or category in ("Cc", "Cs"):
        return " "
    return None


def _build_translation() -> Mapping[int, str]:
    table: dict[int, str] = {cp: " " for cp in range(0x20) if cp not in (0x09, 0x0A, 0x0D)}
    table[0x7F] = " "
    for lo, hi in _TABLE_RANGES:
        for cp in range(lo, hi):
            folded = _fold(chr(cp))
            if folded is not None:
                table[cp] = folded
    # A read-only view: the table is a constant shared by every caller.
    return MappingProxyType(table)


_TRANSLATION: Mapping[int, str] = _build_translation()

#: Word characters of *normalised* text (see the module docstring for why all non-ASCII counts).
_WORD_RE = re.compile("[0-9a-z\u0080-\U0010ffff]+")


def normalize(text: str) -> str:
    """Return ``text`` folded for matching: casefolded, quote/dash styles and punctuation folded
    (see the module docstring), whitespace collapsed to single spaces, stripped."""
    folded = text.casefold().translate(_TRANSLATION)
    return " ".join(folded.split())


def tokens(text: str) -> list[str]:
    """Words of the normalised ``text``: runs of ASCII letters/digits and non-ASCII word characters."""
    return _WORD_RE.findall(normalize(text))


def shingles(text: str, ngram: int) -> list[str]:
    """Word ``ngram``-grams of the normalised ``text``, in order (duplicates kept), words joined by a
    space. A text with 1 to ``ngram - 1`` words gives one shingle of all its words; no words, none."""
    if ngram < 1:
        raise ValueError(f"ngram={ngram}: must be at least 1")
    words = tokens(text)
    if not words:
        return []
    if len(words) < ngram:
        return [" ".join(words)]
    return [" ".join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)]


def _build_kernel_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts: list[int] = []
    lengths: list[int] = []
    pool = bytearray()
    for lo, hi in _TABLE_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            out = ch.casefold().translate(_TRANSLATION)
            if out == ch:
                starts.append(-1)
                lengths.append(0)
                continue
            encoded = out.encode("utf-8", "surrogatepass")
            starts.append(len(pool))
            lengths.append(len(encoded))
            pool += encoded
    # The compiled kernel sizes its buffers on "one code point starts at most one word" (a replacement
    # may end a word and start the next, as U+0149 -> "'n" does, but never holds two word starts).
    for cp_start, length in zip(starts, lengths, strict=True):
        if (
            cp_start >= 0
            and len(_WORD_RE.findall(pool[cp_start : cp_start + length].decode("utf-8", "surrogatepass"))) > 1
        ):
            raise RuntimeError("a normalised code point starts two words: the kernel's token bound fails")
    rep_start = np.array(starts, dtype=np.int32)
    rep_len = np.array(lengths, dtype=np.uint8)
    rep_pool = np.frombuffer(bytes(pool) or b"\0", dtype=np.uint8).copy()
    for arr in (rep_start, rep_len, rep_pool):
        arr.flags.writeable = False
    return rep_start, rep_len, rep_pool


# Built once at import (~60 ms, once per process) and read-only afterwards.
_KERNEL_TABLES = _build_kernel_tables()


def kernel_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-code-point normalisation for the compiled kernel: ``(rep_start, rep_len, pool)``.

    Index ``i`` is the code point ``i + 0x80`` for code points below 0x20000 and
    ``i - 0xE0000 + 0x1FF80`` for the 0xE0000 block (:func:`table_index`); other code points are
    unchanged. ``rep_start[i] == -1`` keeps the character; otherwise its normalised form
    ``translate(casefold(c))`` is the UTF-8 bytes ``pool[rep_start[i]:rep_start[i] + rep_len[i]]``
    (possibly empty). The arrays are read-only.
    """
    return _KERNEL_TABLES


def table_index(cp: int) -> int:
    """Index of non-ASCII code point ``cp`` in :func:`kernel_tables`, or -1 if not tabulated."""
    if cp < 0x80:
        return -1
    if cp < 0x20000:
        return cp - 0x80
    if 0xE0000 <= cp < 0xE1000:
        return cp - 0xE0000 + 0x1FF80
    return -1
