"""LSH banding: band keys from the MinHash matrix, and candidate pairs from equal keys.

A document's signature row is cut into ``bands`` bands of ``rows`` values; each band is hashed to
one 64-bit key. Two documents whose keys agree in at least one band become a *candidate pair*,
which :mod:`dedup.verify` then judges on the exact shingle sets.

Everything here works on whole arrays (numba kernels for the keys and for grouping each band's
documents by key in a hash table), so the cost grows linearly with the number of documents (plus
``n log n`` for sorting the pairs found).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numba
import numpy as np

from ._jit import cached
from .lsh import lsh_params, optimal_params

__all__ = ["band_keys", "candidate_pairs", "candidates_from_signatures", "lsh_params", "optimal_params"]

# Constants of the 64-bit mixer (splitmix64 / murmur3 finaliser family). Immutable, so module-level
# is fine; numba freezes them into the compiled kernel.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
#: Seeds the per-band state so that equal rows in different bands give different keys.
_BAND_SEED = np.uint64(0x6A09E667F3BCC909)


@numba.njit(inline="always")
def _mix64(x: np.uint64) -> np.uint64:
    """splitmix64 finaliser: a bijection on 64 bits with full avalanche."""
    x = (x ^ (x >> _S30)) * _MIX1
    x = (x ^ (x >> _S27)) * _MIX2
    return x ^ (x >> _S31)


@cached
@numba.njit(parallel=True)
def _band_keys_kernel(sigs: np.ndarray, first_band: int, rows: int, out: np.ndarray) -> None:
    """Keys of bands ``first_band .. first_band + out.shape[1] - 1`` into ``out``."""
    n = sigs.shape[0]
    for d in numba.prange(n):
        for k in range(out.shape[1]):
            b = first_band + k
            # The band index enters the initial state, so a band of one document never collides
            # with a *different* band of another by construction, only by 2**-64 chance.
            h = _mix64(_BAND_SEED + np.uint64(b) * _GOLDEN)
            base = b * rows
            for r in range(rows):
                # Chained mixing (not a plain xor of the rows) keeps the order of the rows significant.
                h = _mix64(h + _GOLDEN + np.uint64(sigs[d, base + r]))
            out[d, k] = h


def _check_band_shape(sigs: np.ndarray, bands: int, rows: int) -> None:
    if sigs.ndim != 2:
        raise ValueError(f"sigs must be a 2-d (n_docs, num_perm) array, got shape {sigs.shape}")
    if bands < 1 or rows < 1:
        raise ValueError(f"bands={bands}, rows={rows}: both must be at least 1")
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands*rows={bands * rows} exceeds the {sigs.shape[1]} signature columns")


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Hash each band of each signature row to one 64-bit key.

    Args:
        sigs: ``uint32[n, num_perm]`` MinHash matrix. Only the first ``bands * rows`` columns are used.
        bands: number of bands.
        rows: signature values per band.

    Returns:
        ``uint64[n, bands]``; equal rows in the same band give equal keys, anything else collides
        only by chance (about ``2**-64`` per comparison).
    """
    sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
    _check_band_shape(sigs, bands, rows)
    out = np.empty((sigs.shape[0], bands), dtype=np.uint64)
    if sigs.shape[0]:
        _band_keys_kernel(sigs, 0, rows, out)
    return out


@cached
@numba.njit
def _bucket_codes_kernel(column: np.ndarray, n: int, first: np.ndarray, last: np.ndarray, key: np.ndarray,
                         out: np.ndarray) -> int:
    """The pair codes of one band into ``out``; returns how many. ``first``, ``last`` and ``key`` are
    a hash table of a power-of-two size over twice the documents, ``first`` all -1 on entry."""
    mask = first.shape[0] - 1
    m = 0
    for d in range(column.shape[0]):
        k = column[d]
        # The keys are mixed 64-bit hashes already (see band_keys): their low bits index the table.
        i = np.int64(k & np.uint64(mask))
        while True:
            f = first[i]
            if f < 0:
                first[i] = d
                last[i] = d
                key[i] = k
                break
            if key[i] == k:
                out[m] = f * n + d
                m += 1
                p = last[i]
                if p != f:
                    out[m] = p * n + d
                    m += 1
                last[i] = d
                break
            i = (i + 1) & mask
    return m


class _Buckets:
    """The hash table :func:`_bucket_codes_kernel` groups a band's keys in, made once for all bands."""

    def __init__(self, n: int) -> None:
        size = 16
        while size < 2 * n:
            size *= 2
        self.first = np.empty(size, dtype=np.int64)
        self.last = np.empty(size, dtype=np.int64)
        self.key = np.empty(size, dtype=np.uint64)
        self.out = np.empty(2 * n, dtype=np.int64)

    def codes(self, column: np.ndarray, n: int) -> np.ndarray:
        """Pair codes ``i * n + j`` of one band's buckets: star to the first member plus the chain.

        In a bucket (documents with one key), its members in document-index order ``m0 < m1 < ... <
        m{k-1}``, every member ``m_t`` (t >= 1) is paired with ``m0`` and with ``m{t-1}``: at most
        ``2k - 3`` pairs instead of ``k (k - 1) / 2``. Both pair kinds have ``i < j`` because members
        come in index order. The documents are grouped by their keys in a hash table, in index order,
        in one pass (a sort per band, before, cost 0.6 ms a band on 10,000 documents, 19 of the 72 ms
        a run spent after its last document was cleaned).
        """
        self.first.fill(-1)
        m = _bucket_codes_kernel(np.ascontiguousarray(column, dtype=np.uint64), n, self.first, self.last, self.key,
                                 self.out)
        return self.out[:m].copy()


def _collect(band_codes: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Union of the bands' pair codes, decoded to sorted unique ``(i, j)`` rows."""
    codes: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    for k, band in enumerate(band_codes, 1):
        codes.append(band)
        # The same pairs recur in many bands; deduplicating every few bands keeps the working set
        # near the size of the final answer instead of bands times it.
        if k % 8 == 0:
            codes = [np.unique(np.concatenate(codes))]
    # np.unique sorts by (i, j) because the code is i * n + j with 0 <= j < n.
    merged = np.unique(np.concatenate(codes))
    pairs = np.empty((merged.shape[0], 2), dtype=np.int64)
    np.floor_divide(merged, n, out=pairs[:, 0])
    np.remainder(merged, n, out=pairs[:, 1])
    return pairs


def _check_n(n: int) -> None:
    # i * n + j must fit in int64.
    if n > 3_000_000_000:
        raise ValueError(f"{n} documents: pair codes would overflow int64; split the corpus")


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Candidate pairs from band keys: documents sharing a key in at least one band.

    Trade-off: a bucket of ``k`` documents yields only ``O(k)`` pairs (each member with the bucket's
    first member and with its predecessor), never the ``k (k - 1) / 2`` of all pairs, so thousands of
    exact template copies cannot blow up memory or verification time. Union-find over the verified
    edges still connects the bucket whenever its members really are similar (through the star to the
    first member, or along the chain). What is lost: two similar members separated in the bucket by
    dissimilar ones, and dissimilar to the first member, are not compared in that band (other bands
    usually still pair them, since each band sorts its buckets independently of the others' contents).

    Args:
        keys: ``uint64[n, bands]`` from :func:`band_keys`.

    Returns:
        ``int64[m, 2]`` pairs with ``i < j``, sorted lexicographically, without duplicates.
    """
    if keys.ndim != 2:
        raise ValueError(f"keys must be a 2-d (n_docs, bands) array, got shape {keys.shape}")
    n = keys.shape[0]
    _check_n(n)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    buckets = _Buckets(n)
    return _collect((buckets.codes(keys[:, b], n) for b in range(keys.shape[1])), n)


def candidate_pairs_batched(key_batches: Sequence[np.ndarray]) -> np.ndarray:
    """:func:`candidate_pairs` over band keys kept as per-batch blocks, in batch order.

    Each band's column is gathered from the blocks one band at a time, so the whole ``(n, bands)``
    key matrix is never copied into one array (at a million documents that copy alone is ~240 MB).
    The pairs are identical to ``candidate_pairs(np.concatenate(key_batches))``.
    """
    blocks = [b for b in key_batches if len(b)]
    n = sum(len(b) for b in blocks)
    _check_n(n)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    bands = blocks[0].shape[1]
    buckets = _Buckets(n)
    return _collect((buckets.codes(np.concatenate([blk[:, b] for blk in blocks]), n) for b in range(bands)), n)


def candidates_from_signatures(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """:func:`candidate_pairs` of :func:`band_keys`, one band at a time.

    Gives exactly the same pairs but never holds the whole ``uint64[n, bands]`` key matrix (8 bytes per
    document per band), which matters at millions of documents.
    """
    sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
    _check_band_shape(sigs, bands, rows)
    n = sigs.shape[0]
    _check_n(n)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)

    def per_band() -> Iterator[np.ndarray]:
        col = np.empty((n, 1), dtype=np.uint64)
        buckets = _Buckets(n)
        for b in range(bands):
            _band_keys_kernel(sigs, b, rows, col)
            yield buckets.codes(col[:, 0], n)

    return _collect(per_band(), n)

