"""Peer implementations the benchmark compares dedup with, written the way people write them by hand.

* :func:`datasketch_pipeline` — ``ftfy.fix_text`` -> word 5-gram shingles -> ``datasketch.MinHash``
  (``update_batch`` per document) -> ``MinHashLSH(threshold)``, query then insert per document ->
  union-find over every pair the LSH returns (no verification).
* cleaners: trafilatura and jusText on plain text wrapped as minimal HTML, trafilatura on real HTML,
  ``ftfy.fix_text`` alone.
* signature peers: datasketch ``MinHash.update_batch`` per document, rensa ``RMinHash``.

The peers are used as libraries; nothing here reimplements them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from data import wrap_lines_as_html

NUM_PERM = 128
NGRAM = 5


# --------------------------------------------------------------------------------------------------
# Shingles as a hand-written pipeline makes them
# --------------------------------------------------------------------------------------------------


def word_shingles(text: str, ngram: int = NGRAM) -> set[str]:
    """Lower-cased whitespace words, joined ``ngram`` at a time (one shingle if the text is shorter)."""
    words = text.lower().split()
    if len(words) < ngram:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + ngram]) for i in range(len(words) - ngram + 1)}


# --------------------------------------------------------------------------------------------------
# The hand-written datasketch pipeline
# --------------------------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def datasketch_pipeline(docs: Sequence[tuple[str, str]], threshold: float = 0.5, *, fix: bool = True,
                        num_perm: int = NUM_PERM, ngram: int = NGRAM,
                        return_pairs: bool = False) -> tuple[dict[str, str], np.ndarray | None]:
    """Cluster ``(id, text)`` documents the way it is commonly done by hand with datasketch.

    Returns ``({doc id: cluster label}, pairs)``; the label is the id of the cluster's first document,
    ``pairs`` (``int64[m, 2]`` document indices, only with ``return_pairs``) are the LSH hits unioned.
    """
    import ftfy
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    uf = _UnionFind(len(docs))
    hits: list[tuple[int, int]] = []
    for k, (_, text) in enumerate(docs):
        if fix:
            text = ftfy.fix_text(text)
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in word_shingles(text, ngram)])
        for other in lsh.query(m):
            uf.union(other, k)
            if return_pairs:
                hits.append((other, k))
        lsh.insert(k, m)
    labels = {doc_id: docs[uf.find(k)][0] for k, (doc_id, _) in enumerate(docs)}
    pairs = np.array(hits, dtype=np.int64).reshape(-1, 2) if return_pairs else None
    return labels, pairs


# --------------------------------------------------------------------------------------------------
# Cleaners
# --------------------------------------------------------------------------------------------------


def trafilatura_text(text: str) -> str:
    """trafilatura on plain text wrapped as ``<html><body><p>line</p>...``."""
    return trafilatura_html(wrap_lines_as_html(text))


def trafilatura_html(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""


def justext_text(text: str) -> str:
    """jusText (English stoplist) on plain text wrapped as minimal HTML; the non-boilerplate paragraphs."""
    import justext

    wrapped = wrap_lines_as_html(text)
    if wrapped == "<html><body></body></html>":
        return ""
    paragraphs = justext.justext(wrapped.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def ftfy_text(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text)


def raw_text(text: str) -> str:
    return text


# --------------------------------------------------------------------------------------------------
# Signature peers
# --------------------------------------------------------------------------------------------------


def datasketch_signatures(texts: Iterable[str], num_perm: int = NUM_PERM, ngram: int = NGRAM) -> np.ndarray:
    """``uint64[n, num_perm]`` datasketch MinHash values, ``update_batch`` per document."""
    from datasketch import MinHash

    rows = []
    for text in texts:
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in word_shingles(text, ngram)])
        rows.append(m.hashvalues)
    return np.array(rows, dtype=np.uint64).reshape(-1, num_perm)


def rensa_signatures(texts: Iterable[str], num_perm: int = NUM_PERM, ngram: int = NGRAM) -> np.ndarray:
    """``uint32[n, num_perm]`` rensa ``RMinHash`` digests (shingles built in Python)."""
    from rensa import RMinHash

    rows = []
    for text in texts:
        m = RMinHash(num_perm=num_perm, seed=1)
        m.update(list(word_shingles(text, ngram)))
        rows.append(m.digest())
    return np.array(rows, dtype=np.uint32).reshape(-1, num_perm)
