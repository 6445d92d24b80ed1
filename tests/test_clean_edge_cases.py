"""Pages that are all article: the cleaner must leave them alone."""

from __future__ import annotations

import pytest

from dedup import clean

ONE_PARAGRAPH = (
    "The harbour authority said on Monday that container traffic through the port rose eleven percent "
    "in the first quarter, driven by a surge in electronics imports and a recovery in car shipments. "
    "Officials expect the new deep water berth to open in September, allowing larger vessels to dock."
)
TWO_PARAGRAPHS = ONE_PARAGRAPH + "\n\nHeavy snow closed mountain passes across the region overnight, stranding lorries."


@pytest.mark.parametrize("text", [ONE_PARAGRAPH, TWO_PARAGRAPHS, "Port traffic rises", "Short note."])
def test_all_article_pages_come_out_unchanged(text: str) -> None:
    expected = [line for line in text.split("\n") if line.strip()]
    assert clean(text).lines == expected
