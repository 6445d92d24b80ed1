"""Held-out quality gate: the invented pages in fixtures/pages (text and HTML) against their expectations."""

from __future__ import annotations

from pathlib import Path

import pytest
from scoring import score_pages

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
EXPECTED = ROOT / "fixtures" / "pages-expected"
#: Floor on the micro-averaged line F1 over all pages.
MIN_F1 = 0.98


@pytest.mark.skipif(not EXPECTED.is_dir() or not any(EXPECTED.glob("*.txt")), reason="no fixture pages")
def test_fixture_pages_f1_floor() -> None:
    score = score_pages(PAGES, EXPECTED)
    assert score.mojibake == 0, score.report()
    assert score.f1 >= MIN_F1, score.report()


def test_clean_text_gives_the_text_of_clean_on_every_fixture() -> None:
    """The explanation-free path clustering takes, on every page and syndicated document shipped."""
    from dedup.clean import clean, clean_text

    paths = [p for d in ("seeds", "pages", "syndication/docs") for p in sorted((ROOT / "fixtures" / d).glob("*.*"))]
    assert len(paths) > 80
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert clean_text(text) == clean(text).text, path.name
