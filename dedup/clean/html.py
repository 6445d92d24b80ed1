"""HTML input: detect it, and turn it into one-paragraph-per-line text with trafilatura.

trafilatura does the structural work an HTML page allows (dropping ``<nav>``, ``<footer>``,
comment sections); the line rules then run on its output exactly as on scraped text.
"""

from __future__ import annotations

import re

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

    doc = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        with_metadata=True,
        deduplicate=False,
    )
    if doc is None:
        return ""
    body = getattr(doc, "text", None) or ""
    title = (getattr(doc, "title", None) or "").strip()
    lines = [ln.strip() for ln in body.split("\n")]
    lines = [ln for ln in lines if ln]
    if title and (not lines or lines[0].casefold() != title.casefold()):
        lines.insert(0, title)
    return "\n".join(lines)
