"""MinHash signatures of whole batches, computed by a compiled kernel over raw UTF-8 bytes.

Pipeline per document (identical in :func:`sign_batch` and :func:`sign_reference`):

1. normalise as :func:`dedup.shingle.normalize` does (casefold, quote/dash/punctuation folding) and cut
   into tokens as :func:`dedup.shingle.tokens` does;
2. token hash: 64-bit FNV-1a over the token's UTF-8 bytes, then the murmur3 ``fmix64`` finaliser
   (FNV alone mixes its last bytes poorly);
3. shingle hash of ``ngram`` consecutive tokens: ``s = (s ^ t) * M`` over the window (order-sensitive),
   ``fmix64``, keep the high 32 bits; a document with 1..ngram-1 tokens gives one shingle of all of them;
4. the sorted unique shingle hashes are kept (exact Jaccard/containment downstream reads them);
5. permutation ``i``: ``h_i(x) = ((a_i * x + b_i) mod 2**64) >> 32`` with odd random 64-bit ``a_i`` and
   random 64-bit ``b_i`` from ``np.random.default_rng(seed)``; multiply-add-shift is strongly universal
   for 32-bit keys, uses wrap-around uint64 arithmetic only (no modulo), and vectorises;
   signature ``i`` is the minimum of ``h_i`` over the unique shingle hashes.

Every shingle is hashed (no sampling). The Python side only encodes and concatenates the texts; the
kernel applies the normalisation itself through :func:`dedup.shingle.kernel_tables`, a per-code-point
table of ``translate(casefold(c))`` (both are per-character operations, so the table reproduces
``normalize`` exactly) -- doing casefold/translate in Python costs 20-200 us per non-ASCII document,
more than the whole kernel. Importing this module compiles nothing; the first call compiles the kernels
(several seconds) and ``cache=True`` stores them for later processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import datasketch
import numba
import numpy as np
from numba import njit, prange

from .config import DedupConfig, MinHashConfig, ShingleConfig
from .errors import ConfigError
from .shingle import kernel_tables, tokens

__all__ = [
    "Signatures",
    "estimate_jaccard",
    "permutations",
    "sign_batch",
    "sign_datasketch",
    "sign_reference",
    "signature",
    "to_lean_minhash",
]

_MASK64 = (1 << 64) - 1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_SHINGLE_SEED = 0x9E3779B97F4A7C15
_SHINGLE_MUL = 0xD6E8FEB86659FD93
_EMPTY = 0xFFFFFFFF

# numba types integer literals as int64 and int64 op uint64 as float64: keep every constant uint64.
_U_FNV_OFFSET = np.uint64(_FNV_OFFSET)
_U_FNV_PRIME = np.uint64(_FNV_PRIME)
_U_SHINGLE_SEED = np.uint64(_SHINGLE_SEED)
_U_SHINGLE_MUL = np.uint64(_SHINGLE_MUL)
_U_C1 = np.uint64(0xFF51AFD7ED558CCD)
_U_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_U33 = np.uint64(33)
_U32 = np.uint64(32)
_U_LOW32 = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class Signatures:
    """Signatures of a batch.

    ``sigs``: uint32 ``(n_docs, num_perm)``; a document without shingles has all ``0xFFFFFFFF``.
    ``hashes``: uint32, every document's sorted unique shingle hashes, concatenated.
    ``offsets``: int64 ``(n_docs + 1,)``; document ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``.
    """

    sigs: np.ndarray
    hashes: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.sigs.shape[0])

    def doc_hashes(self, i: int) -> np.ndarray:
        """Sorted unique shingle hashes of document ``i``."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]


# --------------------------------------------------------------------------------------------------
# Pure-Python reference (exactly the kernel's arithmetic, with Python ints)


def _fmix64(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & _MASK64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & _MASK64
    k ^= k >> 33
    return k


def _token_hash(token: str) -> int:
    h = _FNV_OFFSET
    for byte in token.encode("utf-8", "surrogatepass"):
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return _fmix64(h)


def _window_hash(token_hashes: Sequence[int]) -> int:
    s = _SHINGLE_SEED
    for t in token_hashes:
        s = ((s ^ t) * _SHINGLE_MUL) & _MASK64
    return _fmix64(s) >> 32


def shingle_hashes_reference(text: str, ngram: int) -> list[int]:
    """Sorted unique 32-bit shingle hashes of ``text``, computed in pure Python."""
    toks = [_token_hash(t) for t in tokens(text)]
    if not toks:
        return []
    if len(toks) < ngram:
        return [_window_hash(toks)]
    return sorted({_window_hash(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)})


def permutations(minhash_cfg: MinHashConfig) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint64 parameters of the ``num_perm`` hash functions (``a`` odd)."""
    rng = np.random.default_rng(minhash_cfg.seed)
    top = np.iinfo(np.uint64).max
    a = rng.integers(0, top, size=minhash_cfg.num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, top, size=minhash_cfg.num_perm, dtype=np.uint64, endpoint=True)
    return a, b


def sign_reference(text: str, shingle_cfg: ShingleConfig, minhash_cfg: MinHashConfig) -> np.ndarray:
    """Signature of ``text`` computed with Python ints: the slow oracle :func:`sign_batch` must match."""
    hashes = shingle_hashes_reference(text, shingle_cfg.ngram)
    a, b = permutations(minhash_cfg)
    sig = [_EMPTY] * minhash_cfg.num_perm
    for i, (ai, bi) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        for x in hashes:
            v = ((ai * x + bi) & _MASK64) >> 32
            if v < sig[i]:
                sig[i] = v
    return np.array(sig, dtype=np.uint32)


def sign_datasketch(text: str, shingle_cfg: ShingleConfig, minhash_cfg: MinHashConfig) -> datasketch.MinHash:
    """datasketch ``MinHash`` over the reference shingles (UTF-8), same ``num_perm`` and seed."""
    from .shingle import shingles

    m = datasketch.MinHash(num_perm=minhash_cfg.num_perm, seed=minhash_cfg.seed)
    grams = shingles(text, shingle_cfg.ngram)
    if grams:
        m.update_batch([g.encode("utf-8", "surrogatepass") for g in grams])
    return m


# --------------------------------------------------------------------------------------------------
# Compiled kernels


@njit(cache=True, inline="always")
def _nb_fmix64(k: np.uint64) -> np.uint64:
    k ^= k >> _U33
    k *= _U_C1
    k ^= k >> _U33
    k *= _U_C2
    k ^= k >> _U33
    return k


@njit(cache=True, inline="always")
def _is_ascii_word(c: int) -> bool:
    return (48 <= c <= 57) or (97 <= c <= 122)


@njit(cache=True)
def _tokenize(buf, start, end, rep_start, rep_len, pool, out):
    """Token hashes of ``buf[start:end]`` into ``out`` (if it has room); returns the token count.

    ASCII bytes: A-Z lowercased, letters/digits are word bytes, the rest separate. A non-ASCII code
    point is replaced by its tabulated normalised bytes (or kept); every byte >= 0x80 is a word byte.
    """
    cap = out.shape[0]  # 0: count only; the bound also guards the unchecked writes below
    n = 0
    h = _U_FNV_OFFSET
    in_tok = False
    i = start
    while i < end:
        c = buf[i]
        if c < 0x80:
            if 65 <= c <= 90:
                c += 32
            if _is_ascii_word(c):
                h = (h ^ np.uint64(c)) * _U_FNV_PRIME
                in_tok = True
            elif in_tok:
                if n < cap:
                    out[n] = _nb_fmix64(h)
                n += 1
                h = _U_FNV_OFFSET
                in_tok = False
            i += 1
            continue
        # Decode one UTF-8 sequence (the buffer comes from str.encode, so it is well formed).
        if c >= 0xF0:
            length = 4
            cp = ((np.int64(c) & 0x07) << 18) | ((np.int64(buf[i + 1]) & 0x3F) << 12)
            cp |= ((np.int64(buf[i + 2]) & 0x3F) << 6) | (np.int64(buf[i + 3]) & 0x3F)
        elif c >= 0xE0:
            length = 3
            cp = ((np.int64(c) & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6)
            cp |= np.int64(buf[i + 2]) & 0x3F
        else:
            length = 2
            cp = ((np.int64(c) & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F)
        idx = -1
        if cp < 0x20000:
            idx = cp - 0x80
        elif 0xE0000 <= cp < 0xE1000:
            idx = cp - 0xE0000 + 0x1FF80
        if idx >= 0 and rep_start[idx] >= 0:
            r0 = rep_start[idx]
            for k in range(r0, r0 + rep_len[idx]):
                r = pool[k]
                if r >= 0x80 or _is_ascii_word(r):
                    h = (h ^ np.uint64(r)) * _U_FNV_PRIME
                    in_tok = True
                elif in_tok:
                    if n < cap:
                        out[n] = _nb_fmix64(h)
                    n += 1
                    h = _U_FNV_OFFSET
                    in_tok = False
        else:
            for k in range(i, i + length):
                h = (h ^ np.uint64(buf[k])) * _U_FNV_PRIME
            in_tok = True
        i += length
    if in_tok:
        if n < cap:
            out[n] = _nb_fmix64(h)
        n += 1
    return n


@njit(cache=True)
def _count_tokens(buf, start, end, rep_start, rep_len, pool):
    """Number of tokens :func:`_tokenize` finds in ``buf[start:end]``, without hashing (cheap)."""
    n = 0
    prev = 0
    i = start
    while i < end:
        c = buf[i]
        if c < 0x80:
            w = 1 if (48 <= c <= 57) or (97 <= (c | 0x20) <= 122) else 0
            n += w & (1 - prev)  # branch-free: most bytes are ASCII, boundaries are unpredictable
            prev = w
            i += 1
            continue
        if c >= 0xF0:
            length = 4
            cp = ((np.int64(c) & 0x07) << 18) | ((np.int64(buf[i + 1]) & 0x3F) << 12)
            cp |= ((np.int64(buf[i + 2]) & 0x3F) << 6) | (np.int64(buf[i + 3]) & 0x3F)
        elif c >= 0xE0:
            length = 3
            cp = ((np.int64(c) & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6)
            cp |= np.int64(buf[i + 2]) & 0x3F
        else:
            length = 2
            cp = ((np.int64(c) & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F)
        idx = -1
        if cp < 0x20000:
            idx = cp - 0x80
        elif 0xE0000 <= cp < 0xE1000:
            idx = cp - 0xE0000 + 0x1FF80
        if idx < 0 or rep_start[idx] < 0:
            n += 1 - prev
            prev = 1
        else:
            # Walk the replacement bytes like _tokenize does: one (rare) replacement mixes both
            # kinds (U+0149 casefolds to U+02BC + "n", i.e. "'n"); an empty one changes nothing.
            r0 = rep_start[idx]
            for k in range(r0, r0 + rep_len[idx]):
                r = pool[k]
                w = 1 if r >= 0x80 or (48 <= r <= 57) or (97 <= r <= 122) else 0
                n += w & (1 - prev)
                prev = w
        i += length
    return n


@njit(cache=True, parallel=True)
def _count_kernel(buf, starts, rep_start, rep_len, pool):
    n_docs = starts.shape[0] - 1
    counts = np.empty(n_docs, dtype=np.int64)
    for d in prange(n_docs):
        counts[d] = _count_tokens(buf, starts[d], starts[d + 1], rep_start, rep_len, pool)
    return counts


@njit(cache=True)
def _sort_unique(keys, tmp):
    """Sort uint32 ``keys`` in place (LSD radix, 8-bit digits) and move the unique values to the
    front; returns their count. ``tmp`` is scratch of the same length. Radix beats a comparison sort
    for the ~600 keys of a news article by ~4x, and it is the second-largest cost after the minima."""
    n = keys.shape[0]
    if n < 48:
        for i in range(1, n):  # insertion sort: short documents
            v = keys[i]
            j = i - 1
            while j >= 0 and keys[j] > v:
                keys[j + 1] = keys[j]
                j -= 1
            keys[j + 1] = v
    else:
        hist = np.zeros((4, 256), dtype=np.int64)
        for i in range(n):
            v = keys[i]
            hist[0, v & 0xFF] += 1
            hist[1, (v >> 8) & 0xFF] += 1
            hist[2, (v >> 16) & 0xFF] += 1
            hist[3, v >> 24] += 1
        src = keys
        dst = tmp
        for p in range(4):
            shift = 8 * p
            total = 0
            for d in range(256):
                c = hist[p, d]
                hist[p, d] = total
                total += c
            for i in range(n):
                v = src[i]
                d = (v >> shift) & 0xFF
                dst[hist[p, d]] = v
                hist[p, d] += 1
            src, dst = dst, src
        # After 4 passes the sorted data is back in ``keys``.
    if n == 0:
        return 0
    u = 1
    for i in range(1, n):
        if keys[i] != keys[u - 1]:
            keys[u] = keys[i]
            u += 1
    return u


@njit(cache=True, parallel=True)
def _sign_kernel(buf, starts, ntok, sh_off, ngram, a_lo, a_hi, b_lo, b_hi, rep_start, rep_len, pool, scratch, nuniq, sigs):
    n_docs = starts.shape[0] - 1
    num_perm = b_lo.shape[0]
    for d in prange(n_docs):
        nt = ntok[d]
        row = sigs[d]
        if nt == 0:
            for p in range(num_perm):
                row[p] = np.uint32(0xFFFFFFFF)
            nuniq[d] = 0
            continue
        toks = np.empty(nt, dtype=np.uint64)
        _tokenize(buf, starts[d], starts[d + 1], rep_start, rep_len, pool, toks)
        keys = scratch[sh_off[d] : sh_off[d + 1]]
        width = ngram if nt >= ngram else nt
        for s in range(keys.shape[0]):
            h = _U_SHINGLE_SEED
            for k in range(s, s + width):
                h = (h ^ toks[k]) * _U_SHINGLE_MUL
            keys[s] = np.uint32(_nb_fmix64(h) >> _U32)
        tmp = np.empty(keys.shape[0], dtype=np.uint32)
        u = _sort_unique(keys, tmp)
        nuniq[d] = u
        # Permutation-outer, shingle-inner: a min-reduction over a contiguous array, which LLVM
        # vectorises, with the parameters in registers. AVX2 has no 64x64-bit multiply, so
        # ((a*x + b) mod 2**64) >> 32 is computed as hi32(a_lo*x + b_lo) + a_hi*x + b_hi (mod 2**32)
        # (a_lo*x + b_lo < 2**64 cannot overflow): the same value from 32x32->64 products, ~1.5x faster.
        for p in range(num_perm):
            alo = np.uint64(a_lo[p])
            ahi = a_hi[p]
            blo = np.uint64(b_lo[p])
            bhi = b_hi[p]
            m = np.uint32(0xFFFFFFFF)
            for j in range(u):
                key = keys[j]
                # 32-bit lanes for the high product and the minimum: AVX2 has no 64-bit unsigned min.
                v = np.uint32(np.uint32((alo * np.uint64(key) + blo) >> _U32) + np.uint32(ahi * key) + bhi)
                m = min(m, v)
            row[p] = np.uint32(m)


@njit(cache=True, parallel=True)
def _compact(scratch, sh_off, offsets, out):
    for d in prange(offsets.shape[0] - 1):
        o = offsets[d]
        s = sh_off[d]
        for k in range(offsets[d + 1] - o):
            out[o + k] = scratch[s + k]


# --------------------------------------------------------------------------------------------------
# Public batch API


def encode_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of all ``texts`` in one uint8 buffer, and int64 ``starts`` of length n+1."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=starts[1:])
    # One join: peak memory is twice the UTF-8 size of the batch while ``encoded`` lives.
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), starts


def _run_kernels(
    buf: np.ndarray, starts: np.ndarray, shingle_cfg: ShingleConfig, minhash_cfg: MinHashConfig
) -> Signatures:
    rep_start, rep_len, pool = kernel_tables()
    a, b = permutations(minhash_cfg)
    n = starts.shape[0] - 1
    ntok = _count_kernel(buf, starts, rep_start, rep_len, pool)
    ngram = shingle_cfg.ngram
    nsh = np.where(ntok >= ngram, ntok - ngram + 1, np.minimum(ntok, 1))
    sh_off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nsh, out=sh_off[1:])
    scratch = np.empty(int(sh_off[-1]), dtype=np.uint32)
    nuniq = np.empty(n, dtype=np.int64)
    sigs = np.empty((n, minhash_cfg.num_perm), dtype=np.uint32)
    a_lo = (a & _U_LOW32).astype(np.uint32)
    a_hi = (a >> _U32).astype(np.uint32)
    b_lo = (b & _U_LOW32).astype(np.uint32)
    b_hi = (b >> _U32).astype(np.uint32)
    _sign_kernel(buf, starts, ntok, sh_off, ngram, a_lo, a_hi, b_lo, b_hi, rep_start, rep_len, pool, scratch, nuniq, sigs)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nuniq, out=offsets[1:])
    if offsets[-1] == sh_off[-1]:
        hashes = scratch  # no repeated shingle anywhere: already compact
    else:
        hashes = np.empty(int(offsets[-1]), dtype=np.uint32)
        _compact(scratch, sh_off, offsets, hashes)
    return Signatures(sigs=sigs, hashes=hashes, offsets=offsets)


def sign_batch(
    texts: Sequence[str],
    shingle_cfg: ShingleConfig,
    minhash_cfg: MinHashConfig,
    *,
    num_threads: int | None = None,
) -> Signatures:
    """MinHash signatures and sorted unique shingle hashes of every text of the batch.

    A text's results do not depend on the rest of the batch. ``num_threads`` caps numba's threads for
    this call (``1`` measures one core); ``None`` uses numba's current setting (all cores by default).
    """
    buf, starts = encode_batch(texts)
    if num_threads is None:
        return _run_kernels(buf, starts, shingle_cfg, minhash_cfg)
    if num_threads < 1:
        raise ConfigError(f"num_threads={num_threads}: must be at least 1")
    previous = numba.get_num_threads()
    numba.set_num_threads(min(num_threads, numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
    try:
        return _run_kernels(buf, starts, shingle_cfg, minhash_cfg)
    finally:
        numba.set_num_threads(previous)


def signature(text: str, config: DedupConfig | None = None) -> np.ndarray:
    """MinHash signature (uint32 ``(num_perm,)``) of one text: a map-style function for other pipelines.

    Each call launches the kernels once; for many documents :func:`sign_batch` is far faster.
    """
    cfg = config if config is not None else DedupConfig()
    return sign_batch([text], cfg.shingle, cfg.minhash).sigs[0]


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity: the fraction of equal signature slots."""
    if sig_a.shape != sig_b.shape:
        raise ValueError(f"signatures differ in length: {sig_a.shape} vs {sig_b.shape}")
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.shape[0]


def to_lean_minhash(row: np.ndarray, minhash_cfg: MinHashConfig) -> datasketch.LeanMinHash:
    """Export one signature row as a datasketch ``LeanMinHash`` (for ``MinHashLSH`` and friends).

    Only compare exports with exports: the hash values come from our permutations, not datasketch's.
    """
    if row.shape != (minhash_cfg.num_perm,):
        raise ValueError(f"signature has shape {row.shape}, expected ({minhash_cfg.num_perm},)")
    # "affine32": 32-bit values with 0xFFFFFFFF as the empty sentinel, like ours.
    return datasketch.LeanMinHash(seed=minhash_cfg.seed, hashvalues=row.astype(np.uint32), scheme="affine32")
