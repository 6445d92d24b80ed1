"""Normalisation and reference shingling (dedup.shingle)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.shingle import kernel_tables, normalize, shingles, table_index, tokens


def test_normalize_folds_case_quotes_dashes_spaces() -> None:
    text = "  China’s “BIG”\u00a0news\u2014today…  Straße\tＡＢＣ  "
    assert normalize(text) == "china's \"big\" news-today... strasse abc"


def test_all_dash_styles_fold_to_hyphen() -> None:
    for dash in "‐‑‒–—―":
        assert normalize(f"a{dash}b") == "a-b"


def test_curly_and_straight_apostrophes_match() -> None:
    assert tokens("China’s") == tokens("China's") == ["china", "s"]
    assert tokens("«Quoted» ‘text’") == tokens('"quoted" \'text\'')


def test_invisible_characters() -> None:
    assert tokens("co\u00adoperate") == ["cooperate"]  # soft hyphen deleted
    assert tokens("a\u200bb") == ["a", "b"]  # zero-width space separates
    assert tokens("a\u00a0b\u2009c\u3000d") == ["a", "b", "c", "d"]  # NBSP, thin and ideographic spaces


def test_non_ascii_letters_are_word_characters() -> None:
    assert tokens("Élan café naïve") == ["élan", "café", "naïve"]
    assert tokens("Один два, ТРИ!") == ["один", "два", "три"]
    assert tokens("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]  # combining vowel signs stay inside words
    assert tokens("snake_case x=1") == ["snake", "case", "x", "1"]


def test_non_ascii_punctuation_and_symbols_separate() -> None:
    assert tokens("a•b©c€d→e😀f") == ["a", "b", "c", "d", "e", "f"]


def test_shingles_short_and_empty() -> None:
    assert shingles("", 5) == []
    assert shingles(" ,.;— ", 5) == []
    assert shingles("One two", 5) == ["one two"]
    assert shingles("a b c d e f", 5) == ["a b c d e", "b c d e f"]
    assert shingles("a b c", 1) == ["a", "b", "c"]


def test_normalized_text_has_only_word_characters_outside_ascii() -> None:
    text = "“Quote” — dash… ‘x’ № 5 ½ ™ \u2028 end"
    for ch in normalize(text):
        if ord(ch) >= 0x80:
            assert unicodedata.category(ch)[0] in "LMN", repr(ch)


def test_replacement_mixing_words_and_separators() -> None:
    # U+0149 casefolds to U+02BC + "n", and U+02BC is an apostrophe style: "'n".
    assert tokens("a\u0149b") == ["a", "nb"]


def test_kernel_table_matches_normalize() -> None:
    rep_start, rep_len, pool = kernel_tables()
    data = bytes(pool)
    for ch in "’“—…ÉßＡ\u00ad\u00a0İΣ😀ǅ":
        idx = table_index(ord(ch))
        start = int(rep_start[idx])
        got = data[start : start + int(rep_len[idx])] if start >= 0 else ch.encode()
        assert got.decode() == ch.casefold().translate({0xA0: " "}) or got.decode().strip() == normalize(ch)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_tokens_idempotent_and_normalize_stable(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert tokens(once) == tokens(text)
    assert "  " not in once and once == once.strip()
