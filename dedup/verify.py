"""Exact verification of candidate pairs on their shingle-hash sets.

MinHash only estimates similarity; every candidate pair is judged again on the exact sets
(each document's sorted unique ``uint32`` shingle hashes, ``hashes[offsets[d]:offsets[d + 1]]``).
Two measures matter for news:

* Jaccard ``|A ∩ B| / |A ∪ B|`` for copies of the same story;
* containment ``|A ∩ B| / min(|A|, |B|)`` for truncated copies and copies with added paragraphs,
  guarded by a lower Jaccard floor so a short snippet cannot join a long story.
"""

from __future__ import annotations

import numba
import numpy as np

from ._jit import cached
from .config import VerifyConfig

__all__ = ["accept", "score", "similarities"]


@cached
@numba.njit(parallel=True)
def _similarities_kernel(
    hashes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, jac: np.ndarray, con: np.ndarray
) -> None:
    for k in numba.prange(pairs.shape[0]):
        a, a_end = offsets[pairs[k, 0]], offsets[pairs[k, 0] + 1]
        b, b_end = offsets[pairs[k, 1]], offsets[pairs[k, 1] + 1]
        len_a = a_end - a
        len_b = b_end - b
        if len_a == 0 or len_b == 0:
            # Nothing to compare: an empty document is nobody's duplicate.
            jac[k] = 0.0
            con[k] = 0.0
            continue
        # Merge walk over the two sorted unique runs: O(|A| + |B|), no allocation.
        inter = 0
        while a < a_end and b < b_end:
            x = hashes[a]
            y = hashes[b]
            if x < y:
                a += 1
            elif y < x:
                b += 1
            else:
                inter += 1
                a += 1
                b += 1
        jac[k] = inter / (len_a + len_b - inter)
        con[k] = inter / min(len_a, len_b)


def similarities(
    hashes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard and containment of each pair.

    Args:
        hashes: ``uint32[total]``; document ``d``'s hashes are ``hashes[offsets[d]:offsets[d + 1]]``,
            sorted ascending and unique (the merge walk relies on it; it is not re-checked).
        offsets: ``int64[n + 1]``, non-decreasing, ``offsets[-1] <= len(hashes)``.
        pairs: ``int64[m, 2]`` document indices (any order within a pair).

    Returns:
        ``(jaccard, containment)``, both ``float64[m]``; 0.0 when either set is empty.

    Raises:
        ValueError: malformed ``offsets`` or ``pairs`` (shape, or an index outside ``0 .. n - 1``).
    """
    hashes = np.ascontiguousarray(hashes, dtype=np.uint32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    pairs = np.ascontiguousarray(pairs, dtype=np.int64)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        if pairs.size == 0:
            pairs = pairs.reshape(0, 2)
        else:
            raise ValueError(f"pairs must have shape (m, 2), got {pairs.shape}")
    if offsets.ndim != 1 or offsets.shape[0] < 1:
        raise ValueError("offsets must be a 1-d array of n + 1 positions")
    n = offsets.shape[0] - 1
    # Cheap O(n) checks: a bad offset or index would make the kernel read out of bounds silently.
    if offsets[0] < 0 or offsets[-1] > hashes.shape[0] or np.any(np.diff(offsets) < 0):
        raise ValueError("offsets must be non-decreasing, start at >= 0 and end at <= len(hashes)")
    m = pairs.shape[0]
    jac = np.empty(m, dtype=np.float64)
    con = np.empty(m, dtype=np.float64)
    if m == 0:
        return jac, con
    if pairs.min() < 0 or pairs.max() >= n:
        raise ValueError(f"pair indices must lie in 0 .. {n - 1}")
    _similarities_kernel(hashes, offsets, pairs, jac, con)
    return jac, con


def _containment_ok(jaccard: np.ndarray, containment: np.ndarray, cfg: VerifyConfig) -> np.ndarray:
    return (containment >= cfg.containment) & (jaccard >= cfg.containment_min_jaccard)


def accept(jaccard: np.ndarray, containment: np.ndarray, verify_cfg: VerifyConfig) -> np.ndarray:
    """Which pairs are duplicates: ``jaccard >= cfg.jaccard``, or a qualifying containment
    (``containment >= cfg.containment`` and ``jaccard >= cfg.containment_min_jaccard``).

    Returns:
        ``bool[m]``.
    """
    jaccard = np.asarray(jaccard, dtype=np.float64)
    containment = np.asarray(containment, dtype=np.float64)
    return (jaccard >= verify_cfg.jaccard) | _containment_ok(jaccard, containment, verify_cfg)


def score(jaccard: np.ndarray, containment: np.ndarray, verify_cfg: VerifyConfig) -> np.ndarray:
    """The similarity reported for a pair: the Jaccard, or the containment when that qualifies and is
    higher (a truncated copy reports how much of it the full story contains).

    Returns:
        ``float64[m]``; NaN stays NaN (used for representatives).
    """
    jaccard = np.asarray(jaccard, dtype=np.float64)
    containment = np.asarray(containment, dtype=np.float64)
    return np.where(_containment_ok(jaccard, containment, verify_cfg), np.fmax(jaccard, containment), jaccard)
