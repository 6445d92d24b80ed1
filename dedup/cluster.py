"""Clusters from verified pairs: union-find, representative choice and the chaining guard.

* :class:`UnionFind` keeps one ``int64`` parent array; the smaller index always becomes the root, so
  every component's root is its lowest index whatever order the edges come in.
* :func:`exact_groups` is the fast path for byte-identical clean texts (equal digests).
* :func:`assign` turns accepted pairs into clusters. Union-find alone is transitive: a chain of
  drifting copies A ~ B ~ C would merge A with an unrelated C. The *chaining guard* therefore makes
  every member pass :func:`dedup.verify.accept` against its cluster's representative; members that
  fail leave the cluster and are clustered again among themselves, round after round, until every
  member of every cluster is a verified duplicate of its representative.

All work is on arrays (numba kernels and numpy), never a Python loop per document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numba
import numpy as np

from ._jit import cached
from .config import ClusterConfig, VerifyConfig
from .verify import accept, score

__all__ = ["Assignment", "SimilarityFn", "UnionFind", "assign", "exact_groups"]

#: ``similarity_fn(pairs int64[m, 2]) -> (jaccard float64[m], containment float64[m])``.
SimilarityFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]

#: Pairs per call of the similarity function in the chaining guard, to bound its temporary memory.
_GUARD_BATCH = 1 << 20


@cached
@numba.njit
def _find(parent: np.ndarray, x: int) -> int:
    # Path halving: every visited node skips to its grandparent, keeping trees shallow without a
    # second pass or recursion.
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@cached
@numba.njit
def _union_pairs(parent: np.ndarray, pairs: np.ndarray) -> None:
    for k in range(pairs.shape[0]):
        a = _find(parent, pairs[k, 0])
        b = _find(parent, pairs[k, 1])
        # The smaller index is the root: the final roots depend only on the components, never on
        # the order of the edges (union by size/rank would not have this property).
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b


@cached
@numba.njit
def _roots(parent: np.ndarray) -> np.ndarray:
    # Invariant parent[x] <= x (roots are minima, halving only moves pointers to smaller nodes), so
    # one forward pass resolves every root from already resolved ones: O(n), and it fully
    # compresses the parent array as a side effect.
    out = np.empty(parent.shape[0], dtype=np.int64)
    for x in range(parent.shape[0]):
        p = parent[x]
        out[x] = x if p == x else out[p]
        parent[x] = out[x]
    return out


@cached
@numba.njit
def _best_per_root(roots: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """For every node, the member of its component with the lowest ``rank``."""
    best = np.arange(roots.shape[0])
    for x in range(roots.shape[0]):
        r = roots[x]
        if rank[x] < rank[best[r]]:
            best[r] = x
    out = np.empty(roots.shape[0], dtype=np.int64)
    for x in range(roots.shape[0]):
        out[x] = best[roots[x]]
    return out


class UnionFind:
    """Disjoint sets over ``0 .. n - 1`` as one ``int64`` parent array.

    The root of every set is its smallest element, so :meth:`roots` is deterministic whatever the
    order of the unions.
    """

    def __init__(self, n: int) -> None:
        if n < 0:
            raise ValueError(f"n={n}: must be non-negative")
        self.parent: np.ndarray = np.arange(n, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.parent.shape[0])

    def union_pairs(self, pairs: np.ndarray) -> None:
        """Merge the sets of both ends of every row of ``pairs`` (``int64[m, 2]``)."""
        pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
        if pairs.shape[0] == 0:
            return
        if pairs.min() < 0 or pairs.max() >= len(self):
            raise ValueError(f"pair indices must lie in 0 .. {len(self) - 1}")
        _union_pairs(self.parent, pairs)

    def union(self, a: int, b: int) -> None:
        """Merge the sets of ``a`` and ``b``."""
        self.union_pairs(np.array([[a, b]], dtype=np.int64))

    def find(self, x: int) -> int:
        """The root (smallest element) of ``x``'s set."""
        if not 0 <= x < len(self):
            raise IndexError(f"{x} is outside 0 .. {len(self) - 1}")
        return int(_find(self.parent, x))

    def roots(self) -> np.ndarray:
        """``int64[n]``: every element's root (the smallest element of its set)."""
        return _roots(self.parent)


def exact_groups(digests: np.ndarray) -> np.ndarray:
    """For each document, the index of the first document with the same digest.

    Only first occurrences (``groups[i] == i``) need to go through LSH; the others are exact copies.

    Args:
        digests: ``uint64[n]`` content digests of the clean texts.

    Returns:
        ``int64[n]``.
    """
    digests = np.asarray(digests)
    if digests.ndim != 1:
        raise ValueError(f"digests must be 1-d, got shape {digests.shape}")
    if digests.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    # return_index gives the first occurrence of every value (numpy sorts stably for it).
    _, first, inverse = np.unique(digests, return_index=True, return_inverse=True)
    return first.astype(np.int64)[inverse.reshape(-1)]


@dataclass(frozen=True)
class Assignment:
    """Cluster verdict for ``n`` documents (arrays indexed by document).

    ``rep[i]`` is the index of ``i``'s representative (``i`` itself for representatives and
    singletons); ``similarity``/``jaccard``/``containment`` are measured against it (NaN for
    representatives). ``similarity`` is :func:`dedup.verify.score`.
    """

    rep: np.ndarray
    similarity: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray

    @property
    def is_rep(self) -> np.ndarray:
        """``bool[n]``: the document is its cluster's representative (singletons included)."""
        return self.rep == np.arange(self.rep.shape[0])

    def cluster_size(self) -> np.ndarray:
        """``int64[n]``: size of each document's cluster."""
        return np.bincount(self.rep, minlength=self.rep.shape[0])[self.rep].astype(np.int64)


def _preference_rank(
    docs: np.ndarray,
    completeness: np.ndarray,
    cfg: ClusterConfig,
    dates: np.ndarray | None,
    sources: np.ndarray | None,
) -> np.ndarray:
    """``int64[k]``: 0 for the best representative among ``docs``, ties broken by lower index.

    Order of keys: preferred source (``cfg.prefer_sources`` order; others after), then the rule
    (``"earliest"``: date, missing dates last; then completeness, most complete first), then index.
    """
    k = docs.shape[0]
    keys: list[np.ndarray] = [docs]  # np.lexsort: last key is primary, so the index goes first
    keys.append(-completeness[docs])
    if cfg.representative == "earliest" and dates is not None:
        d = dates[docs]
        # None, "" and NaN count as missing (object arrays from JSON or pandas may hold any of them).
        present = np.array([False]) if k == 0 else (d != None) & (d != "") & (d == d)  # noqa: E711
        date_rank = np.full(k, k, dtype=np.int64)  # missing sorts after every real date
        if present.any():
            # ISO strings compare chronologically as strings (document.py asks for one format).
            _, date_rank[present] = np.unique(d[present].astype(str), return_inverse=True)
        keys.append(date_rank)
    if cfg.prefer_sources and sources is not None:
        s = sources[docs]
        source_rank = np.full(k, len(cfg.prefer_sources), dtype=np.int64)
        # A loop over the (few) preferred sources, not over documents; reversed so that the first
        # listed source wins when a name is listed twice.
        for pos in range(len(cfg.prefer_sources) - 1, -1, -1):
            source_rank[s == cfg.prefer_sources[pos]] = pos
        keys.append(source_rank)
    rank = np.empty(k, dtype=np.int64)
    rank[np.lexsort(keys)] = np.arange(k, dtype=np.int64)
    return rank


def _as_object_array(values: Sequence[str | None] | np.ndarray | None, n: int, name: str) -> np.ndarray | None:
    if values is None:
        return None
    arr = np.asarray(values, dtype=object)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one entry per document ({n}), got shape {arr.shape}")
    return arr


def _guard_similarities(
    pairs: np.ndarray, similarity_fn: SimilarityFn
) -> tuple[np.ndarray, np.ndarray]:
    jac = np.empty(pairs.shape[0], dtype=np.float64)
    con = np.empty(pairs.shape[0], dtype=np.float64)
    for start in range(0, pairs.shape[0], _GUARD_BATCH):
        j, c = similarity_fn(pairs[start : start + _GUARD_BATCH])
        jac[start : start + _GUARD_BATCH] = j
        con[start : start + _GUARD_BATCH] = c
    return jac, con


def assign(
    n: int,
    pairs: np.ndarray,
    accepted: np.ndarray,
    similarity_fn: SimilarityFn,
    completeness: np.ndarray,
    cfg: ClusterConfig,
    dates: Sequence[str | None] | np.ndarray | None = None,
    sources: Sequence[str | None] | np.ndarray | None = None,
    *,
    verify_cfg: VerifyConfig | None = None,
) -> Assignment:
    """Cluster ``n`` documents from verified candidate pairs.

    1. Union-find over the accepted pairs gives connected components.
    2. Each component's representative is the member ranked best by :func:`_preference_rank`:
       a preferred source first (``cfg.prefer_sources``), then the most complete copy (or with
       ``cfg.representative == "earliest"`` the earliest date, then the most complete), then the
       lowest index.
    3. Chaining guard: each member's exact similarity to its representative is computed with
       ``similarity_fn`` and must pass :func:`dedup.verify.accept`; members that fail are re-clustered
       among themselves (accepted pairs between two of them only) with steps 1-3 again, until no
       member fails. Every round finalises at least one representative, so this terminates.

    The result depends only on the set of accepted pairs and the per-document arrays, never on the
    order of ``pairs`` or on how documents were batched upstream.

    Args:
        n: number of documents.
        pairs: ``int64[m, 2]`` candidate pairs (document indices).
        accepted: ``bool[m]``, which pairs passed verification.
        similarity_fn: exact ``(jaccard, containment)`` for arbitrary pairs, e.g.
            ``functools.partial(verify.similarities, hashes, offsets)``.
        completeness: ``float[n]``, larger is more complete (shingle or clean character count).
        cfg: representative rules.
        dates: optional ISO date strings (None for unknown), one per document.
        sources: optional source names, one per document.
        verify_cfg: thresholds of the chaining guard; pass the run's ``DedupConfig.verify``
            (defaults to ``VerifyConfig()``).

    Returns:
        :class:`Assignment`.
    """
    verify_cfg = verify_cfg if verify_cfg is not None else VerifyConfig()
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    accepted = np.asarray(accepted, dtype=bool).reshape(-1)
    if accepted.shape[0] != pairs.shape[0]:
        raise ValueError(f"accepted has {accepted.shape[0]} entries for {pairs.shape[0]} pairs")
    completeness = np.asarray(completeness, dtype=np.float64)
    if completeness.shape != (n,):
        raise ValueError(f"completeness must have one entry per document ({n}), got {completeness.shape}")
    dates_arr = _as_object_array(dates, n, "dates")
    sources_arr = _as_object_array(sources, n, "sources")

    rep = np.arange(n, dtype=np.int64)
    jac_out = np.full(n, np.nan)
    con_out = np.full(n, np.nan)

    edges = pairs[accepted]
    if edges.shape[0]:
        if edges.min() < 0 or edges.max() >= n:
            raise ValueError(f"pair indices must lie in 0 .. {n - 1}")
        edges = edges[edges[:, 0] != edges[:, 1]]
    if edges.shape[0] == 0:
        return Assignment(rep, jac_out.copy(), jac_out, con_out)

    # Work only on documents that have an accepted edge: the rest are singletons, and most
    # documents of a corpus usually are. `active` holds global indices, sorted; edges and ranks
    # are in the compact local numbering 0 .. len(active) - 1, which preserves order.
    active = np.unique(edges)
    local = np.searchsorted(active, edges)
    del edges
    rank = _preference_rank(active, completeness, cfg, dates_arr, sources_arr)

    while active.shape[0]:
        uf = UnionFind(active.shape[0])
        uf.union_pairs(local)
        best = _best_per_root(uf.roots(), rank)
        del uf
        members = np.flatnonzero(best != np.arange(active.shape[0]))
        if members.shape[0] == 0:
            break
        g_member = active[members]
        g_rep = active[best[members]]
        query = np.stack((np.minimum(g_member, g_rep), np.maximum(g_member, g_rep)), axis=1)
        jac, con = _guard_similarities(query, similarity_fn)
        ok = accept(jac, con, verify_cfg)
        keep = members[ok]
        rep[active[keep]] = g_rep[ok]
        jac_out[active[keep]] = jac[ok]
        con_out[active[keep]] = con[ok]

        # The failed members start over among themselves; representatives and accepted members
        # are final.
        failed = np.zeros(active.shape[0], dtype=bool)
        failed[members[~ok]] = True
        if not failed.any():
            break
        renumber = np.cumsum(failed) - 1
        local = local[failed[local[:, 0]] & failed[local[:, 1]]]
        local = renumber[local]
        active = active[failed]
        rank = rank[failed]  # relative order of the survivors is unchanged

    return Assignment(rep, score(jac_out, con_out, verify_cfg), jac_out, con_out)
