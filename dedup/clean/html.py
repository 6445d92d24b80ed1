"""HTML input: detect it, and turn it into one-paragraph-per-line text with trafilatura.

trafilatura does the structural work an HTML page allows (dropping ``<nav>``, ``<footer>``,
comment sections); the line rules then run on its output exactly as on scraped text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: A document that opens like an HTML page.
HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
#: Common block and head tags; plain text almost never carries several of them.
HTML_TAG = re.compile(r"<(?:p|div|span|a|br|li|ul|script|style|meta|link|title|body|head|article|section|h[1-6])\b[^<>]*>", re.I)
#: How many tags a text needs before it counts as HTML without an HTML opening.
MIN_TAGS = 5


def is_html(text: str) -> bool:
    """Whether ``text`` is an HTML document rather than scraped plain text.

    >>> is_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> is_html("Use <b> for bold, said the style guide.")
    False
    """
    if "<" not in text:
        return False  # both patterns need one, and most plain text has none (a scan of the text
        # for one character, where the tag pattern's search cost some 8 instructions a character)
    head = text[:2000]
    if HTML_START.match(head):
        return True
    tags = 0
    for _ in HTML_TAG.finditer(text):
        tags += 1
        if tags >= MIN_TAGS:
            return "</" in text
    return False


def html_to_text(html: str) -> str:
    """The article of an HTML page as text, one paragraph per line, headline first.

    Returns ``""`` when trafilatura finds no article (an empty page, a bare menu).
    """
    # Imported here: trafilatura and lxml take a noticeable time to import, and text-only users
    # never need them.
    import trafilatura

    def extract(source: Any, with_metadata: bool) -> Any:
        return trafilatura.bare_extraction(source, include_comments=False, include_tables=True, favor_recall=True,
                                           with_metadata=with_metadata, deduplicate=False)

    fast = _title_reader()
    title: str | None = None
    if fast is not None:
        load_html, read_title = fast
        tree = load_html(html)
        if tree is None:
            return ""
        try:
            title = read_title(tree)  # before the extraction, which prunes the tree
        except Exception:  # noqa: BLE001  (a trafilatura whose readers changed: its own metadata then)
            fast = None
    if fast is None:
        doc = extract(html, True)
        title = getattr(doc, "title", None) if doc is not None else None
    else:
        doc = extract(tree, False)
    if doc is None:
        return ""
    body = getattr(doc, "text", None) or ""
    title = " ".join((title or "").split())
    lines = [ln.strip() for ln in body.split("\n")]
    lines = [ln for ln in lines if ln]
    if title and (not lines or lines[0].casefold() != title.casefold()):
        lines.insert(0, title)
    return "\n".join(lines)


def _title_reader() -> tuple[Callable[[str], Any], Callable[[Any], str | None]] | None:
    """trafilatura's HTML loader and the part of its metadata extraction that finds the title, or
    None where this trafilatura lacks them (then the full metadata extraction gives the title).

    The full extraction also dates the page (htmldate) and looks for its author, site name and
    categories: a quarter to two fifths of the time of extracting the article (measured on the
    ScrapingHub pages), for nothing the cleaner uses. The
    title is found as it does: the page's meta tags, then its JSON-LD, then its ``<title>`` and
    headings (a test compares the two on the fixture pages).
    """
    try:
        from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
        from trafilatura.utils import load_html
    except ImportError:
        return None

    def read_title(tree: Any) -> str | None:
        meta = examine_meta(tree)
        try:
            meta = extract_meta_json(tree, meta)
        except Exception:  # noqa: BLE001  (trafilatura guards its JSON-LD reader the same way)
            pass
        return meta.title or extract_title(tree)

    return load_html, read_title
