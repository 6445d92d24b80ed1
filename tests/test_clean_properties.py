"""Invariants of the cleaner on arbitrary input: no crash, idempotence, no invented text."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dedup.clean import clean, clean_text, is_html, settled_line
from dedup.clean.repair import normalize_space

#: Lines in the style of scraped pages: menu items, headlines, sentences, furniture, noise.
_WORDS = st.sampled_from(
    "the council bridge harbour said on Tuesday By Jane Doe Home News Sport Related © 2025 Share "
    "cookies newsletter | » • - , . ? : Reuters (Reuters) 3 hours ago July 29 café â€™ Ã© \u00a0".split(" ")
)
_LINE = st.one_of(
    st.lists(_WORDS, min_size=0, max_size=30).map(" ".join),
    st.text(max_size=60),
)
_PAGE = st.lists(_LINE, min_size=0, max_size=40).map("\n".join)
_SETTINGS = settings(max_examples=200, deadline=None)


@_SETTINGS
@given(st.one_of(st.text(max_size=400), _PAGE))
def test_clean_never_raises(text: str) -> None:
    result = clean(text)
    assert isinstance(result.text, str)


@_SETTINGS
@given(_PAGE)
def test_clean_is_idempotent(text: str) -> None:
    once = clean(text).text
    assert clean(once).text == once


@_SETTINGS
@given(_PAGE)
def test_clean_never_invents_text(text: str) -> None:
    # Of text cleaned as text: a page the detector takes for HTML ("<body" at its start, as the
    # generator can write) is cleaned from what trafilatura extracts, not line by line.
    assume(not is_html(text))
    allowed = {settled_line(line) for line in text.splitlines()}
    for line in clean(text).lines:
        assert line in allowed


@_SETTINGS
@given(_PAGE)
def test_every_dropped_line_is_explained(text: str) -> None:
    assume(not is_html(text))  # line by line, as above
    result = clean(text)
    kept = len(result.lines)
    non_blank = sum(1 for line in text.splitlines() if normalize_space(line))
    assert kept + len(result.removed) == non_blank
    assert all(r.rule and r.evidence for r in result.removed)


@_SETTINGS
@given(st.one_of(st.text(max_size=400), _PAGE))
def test_clean_text_is_the_text_of_clean(text: str) -> None:
    assert clean_text(text) == clean(text).text
