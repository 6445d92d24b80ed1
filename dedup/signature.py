"""MinHash signatures of whole batches, computed by a compiled kernel over raw UTF-8 bytes.

Pipeline per document (identical in :func:`sign_batch` and :func:`sign_reference`):

1. normalise as :func:`dedup.shingle.normalize` does (casefold, quote/dash/punctuation folding) and cut
   into tokens as :func:`dedup.shingle.tokens` does;
2. token hash: the token's UTF-8 bytes are read 8 at a time as little-endian 64-bit chunks (the last
   one zero-padded), ``h = (h ^ chunk) * M`` per chunk from a fixed seed, then ``h ^= length`` and the
   murmur3 ``fmix64`` finaliser. One multiply per 8 bytes instead of one per byte (FNV), and an
   ASCII word of up to 16 bytes is two masked loads;
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
more than the whole kernel. The kernel finds word runs 64 bytes at a time with bit masks, hashes pure
ASCII runs from whole-word loads and sends only runs with non-ASCII bytes through the table.
Large batches are signed in chunks, the next chunk encoded on a helper thread (by the cleaner's C
module where it is built, into one of two buffers kept for the call) while the kernel (which
releases the GIL) signs the current one on the calling thread, so both cores stay busy; each
chunk's hashes are gathered as soon as it is signed, and its scratch reused by the next.
Importing this module compiles nothing; the first call compiles the kernels (several seconds) and
:func:`dedup._jit.cached` stores them in the user's cache folder for later processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numba
import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.cpython.unsafe.numbers import trailing_zeros
from numba.extending import intrinsic

if TYPE_CHECKING:  # datasketch (and the scipy it imports, ~0.5 s) loads only for the reference path
    import datasketch

from ._jit import cached
from .clean.lines import native
from .config import DedupConfig, MinHashConfig, ShingleConfig
from .errors import ConfigError
from .shingle import kernel_tables, tokens

__all__ = [
    "Signatures",
    "encode_batch",
    "estimate_jaccard",
    "permutations",
    "sign_batch",
    "sign_datasketch",
    "sign_encoded",
    "sign_reference",
    "signature",
    "to_lean_minhash",
]

_MASK64 = (1 << 64) - 1
_TOK_SEED = 0xCBF29CE484222325
_TOK_MUL = 0xBF58476D1CE4E5B9
_SHINGLE_SEED = 0x9E3779B97F4A7C15
_SHINGLE_MUL = 0xD6E8FEB86659FD93
_EMPTY = 0xFFFFFFFF

#: Largest chunk of the pipelined :func:`sign_batch` (encode one while signing the previous; the
#: first chunks are smaller, see :func:`_chunk_bounds`).
CHUNK_DOCS = 2048
#: Zero bytes after the last document, so that 8-byte loads near its end stay in the buffer.
_PAD = 16
_PADDING = b"\0" * _PAD
#: Spare entries after the run positions, for the unconditional writes of :func:`_bit_positions`.
_SLACK = 16
#: Documents per work item of the kernel's dynamic scheduling (:func:`_sign_kernel`).
_BLOCK_DOCS = 16

# numba types integer literals as int64 and int64 op uint64 as float64: keep every constant uint64.
_U_TOK_SEED = np.uint64(_TOK_SEED)
_U_TOK_MUL = np.uint64(_TOK_MUL)
_U_SHINGLE_SEED = np.uint64(_SHINGLE_SEED)
_U_SHINGLE_MUL = np.uint64(_SHINGLE_MUL)
_U_C1 = np.uint64(0xFF51AFD7ED558CCD)
_U_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_U0 = np.uint64(0)
_U1 = np.uint64(1)
_U2 = np.uint64(2)
_U8 = np.uint64(8)
_U32 = np.uint64(32)
_U33 = np.uint64(33)
_U63 = np.uint64(63)
_U64 = np.uint64(64)
_U_ALL = np.uint64(_MASK64)
_U_LOW32 = np.uint64(0xFFFFFFFF)
_U_HI = np.uint64(0x8080808080808080)
# Byte-wise "x >= c" is bit 7 of x + (0x80 - c) for x < 0x80: the constants below add 0x80 - c.
_U_GE_UA = np.uint64(0x3F3F3F3F3F3F3F3F)  # >= 'A'
_U_GT_UZ = np.uint64(0x2525252525252525)  # >= '['
#: ``_MASKS[k]`` keeps the low ``k`` bytes of a uint64.
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


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
    data = token.encode("utf-8", "surrogatepass")
    h = _TOK_SEED
    for i in range(0, len(data), 8):
        h = ((h ^ int.from_bytes(data[i : i + 8], "little")) * _TOK_MUL) & _MASK64
    return _fmix64(h ^ len(data))


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
    a, b = _permutations(minhash_cfg.num_perm, minhash_cfg.seed)
    return a.copy(), b.copy()


@lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    top = np.iinfo(np.uint64).max
    a = rng.integers(0, top, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, top, size=num_perm, dtype=np.uint64, endpoint=True)
    for arr in (a, b):
        arr.flags.writeable = False
    return a, b


@lru_cache(maxsize=16)
def _kernel_params(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(a_lo, a_hi, b)``: uint32 halves of the multipliers and the uint64 offsets, for the kernel."""
    a, b = _permutations(num_perm, seed)
    a_lo = (a & _U_LOW32).astype(np.uint32)
    a_hi = (a >> _U32).astype(np.uint32)
    for arr in (a_lo, a_hi):
        arr.flags.writeable = False
    return a_lo, a_hi, b


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
    import datasketch

    from .shingle import shingles

    m = datasketch.MinHash(num_perm=minhash_cfg.num_perm, seed=minhash_cfg.seed)
    grams = shingles(text, shingle_cfg.ngram)
    if grams:
        m.update_batch([g.encode("utf-8", "surrogatepass") for g in grams])
    return m


# --------------------------------------------------------------------------------------------------
# Compiled kernels


def _bytes_at(arr, idx) -> bool:
    """Whether an intrinsic's ``(arr, idx)`` arguments are a 1-d uint8 array and an integer."""
    uint8_vector = isinstance(arr, types.Array) and arr.dtype == types.uint8 and arr.ndim == 1
    return uint8_vector and isinstance(idx, types.Integer)


def _load_unaligned(context, builder, signature, args, ty: ir.Type) -> ir.Value:
    """The bytes at ``arr[idx]`` (an intrinsic's first two arguments) as one unaligned load of ``ty``."""
    ary = context.make_array(signature.args[0])(context, builder, args[0])
    pos = context.cast(builder, args[1], signature.args[1], types.intp)
    return builder.load(builder.bitcast(builder.gep(ary.data, [pos]), ty.as_pointer()), align=1)


@intrinsic
def _load_u64(typingctx, arr, idx):
    """``arr[idx:idx + 8]`` of a contiguous uint8 array as one little-endian uint64 (one unaligned
    load; the caller guarantees ``idx + 8 <= arr.size``)."""
    if not _bytes_at(arr, idx):
        return None

    def codegen(context, builder, signature, args):
        return _load_unaligned(context, builder, signature, args, ir.IntType(64))

    return types.uint64(arr, idx), codegen


@intrinsic
def _word_mask64(typingctx, arr, idx):
    """64-bit mask of the word bytes of ``arr[idx:idx + 64]`` (bit ``j`` = byte ``idx + j``): ASCII
    ``0-9``, ``A-Z``, ``a-z`` and every byte >= 0x80; the caller guarantees ``idx + 64 <= arr.size``.

    One unaligned ``<64 x i8>`` load, three byte-wise comparisons and a bitcast of the ``<64 x i1>``
    result: LLVM emits two ``vpcmpgtb``-style compares per 32 bytes and ``vpmovmskb`` on AVX2 (SSE2
    or scalar code elsewhere) -- a third of the time of 8-byte SWAR words with a multiply to gather the
    flag bits, which this replaced."""
    if not _bytes_at(arr, idx):
        return None

    def codegen(context, builder, signature, args):
        vec = ir.VectorType(ir.IntType(8), 64)
        v = _load_unaligned(context, builder, signature, args, vec)

        def splat(c: int) -> ir.Constant:
            return ir.Constant(vec, [c] * 64)

        high = builder.icmp_signed("<", v, splat(0))  # >= 0x80
        digit = builder.icmp_unsigned("<", builder.sub(v, splat(48)), splat(10))
        alpha = builder.icmp_unsigned("<", builder.sub(builder.or_(v, splat(0x20)), splat(97)), splat(26))
        return builder.bitcast(builder.or_(builder.or_(high, digit), alpha), ir.IntType(64))

    return types.uint64(arr, idx), codegen


@intrinsic
def _popcount(typingctx, x):
    """Number of set bits of a uint64 (``llvm.ctpop``: one ``popcnt``)."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.uint64(x), codegen


@cached
@njit(inline="always")
def _nb_fmix64(k: np.uint64) -> np.uint64:
    k ^= k >> _U33
    k *= _U_C1
    k ^= k >> _U33
    k *= _U_C2
    k ^= k >> _U33
    return k


@cached
@njit(inline="always")
def _is_ascii_word(c: int) -> bool:
    return (48 <= c <= 57) or (97 <= c <= 122)


@cached
@njit(inline="always")
def _lower8(x: np.uint64) -> np.uint64:
    """ASCII ``A-Z`` -> ``a-z`` in 8 packed ASCII bytes (SWAR)."""
    upper = (x + _U_GE_UA) & ~(x + _U_GT_UZ) & _U_HI
    return x | (upper >> _U2)


@cached
@njit(inline="always")
def _bit_positions(bits, base, out, n):
    """Write ``base + j`` for every set bit ``j`` of ``bits`` to ``out[n:]``, lowest first; returns the
    new count ``n + popcount(bits)``.

    Branch-free for up to 8 bits (16 with one predictable branch): the writes are unconditional, past
    the last set bit they store ``base + 64`` (``tzcnt`` of zero) into slots that the next call
    overwrites, so ``out`` needs :data:`_SLACK` spare entries. A loop over the bits instead mispredicts
    its exit once per call, which cost more than the stores (the idea of simdjson's bit indexer)."""
    count = np.int64(_popcount(bits))
    for k in range(8):
        out[n + k] = base + np.int64(trailing_zeros(bits))
        bits &= bits - _U1
    if count > 8:
        for k in range(8, 16):
            out[n + k] = base + np.int64(trailing_zeros(bits))
            bits &= bits - _U1
        k = n + 16
        while bits:  # more than 16 runs in 64 bytes: one-letter words
            out[k] = base + np.int64(trailing_zeros(bits))
            k += 1
            bits &= bits - _U1
    return n + count


@cached
@njit
def _word_runs(buf, start, end, run_start, run_end):
    """Maximal runs of word bytes (ASCII letters/digits, bytes >= 0x80) of ``buf[start:end]``: their
    start and end positions, 64 bytes at a time through bit masks; returns the run count. Both arrays
    need room for the runs plus :data:`_SLACK` entries (:func:`_bit_positions`).

    Every token lies inside one run: the bytes separating runs are ASCII punctuation, spaces and
    controls, which the normalisation never joins to a word. A run holding non-ASCII bytes may still
    hold several tokens (a curly apostrophe or a dash between words) or none."""
    size = buf.shape[0]
    n = end - start
    nr = 0
    ne = 0
    prev = np.uint64(0)
    for blk in range(0, n, 64):
        p = start + blk
        cnt = min(64, n - blk)
        m = np.uint64(0)
        if p + 64 <= size:
            m = _word_mask64(buf, p)
        else:
            for k in range(cnt):
                c = buf[p + k]
                if c >= 0x80 or (48 <= c <= 57) or (97 <= (c | 0x20) <= 122):
                    m |= np.uint64(1) << np.uint64(k)
        valid = _U_ALL if cnt == 64 else (np.uint64(1) << np.uint64(cnt)) - np.uint64(1)
        m &= valid
        shifted = (m << _U1) | prev
        prev = m >> _U63
        nr = _bit_positions(m & ~shifted, p, run_start, nr)  # run starts
        ne = _bit_positions(~m & shifted & valid, p, run_end, ne)  # run ends
    if ne < nr:
        run_end[ne] = end
    return nr


@cached
@njit(inline="always")
def _push(h, acc, fill, byte):
    """Append one byte to a token hash state: bytes gather little-endian into 8-byte chunks, each full
    chunk is folded in as ``h = (h ^ chunk) * M``."""
    acc |= np.uint64(byte) << fill
    fill += _U8
    if fill == _U64:
        h = (h ^ acc) * _U_TOK_MUL
        acc = np.uint64(0)
        fill = np.uint64(0)
    return h, acc, fill


@cached
@njit(inline="always")
def _finish(h, acc, fill, length):
    """Token hash from its state: fold the zero-padded last chunk (if any), the length, ``fmix64``."""
    if fill != _U0:
        h = (h ^ acc) * _U_TOK_MUL
    return _nb_fmix64(h ^ np.uint64(length))


@cached
@njit
def _tokenize_run(buf, start, end, rep_start, rep_len, pool, out, n):
    """Token hashes of the word run ``buf[start:end]`` appended to ``out`` from index ``n``, byte by
    byte; returns the new count. The general path, for runs with non-ASCII bytes and long runs.

    ASCII bytes (letters/digits inside a run) are lowercased. A non-ASCII code point is replaced by its
    tabulated normalised bytes, where an ASCII non-word byte ends the token, or kept as is (every byte
    >= 0x80 is a word byte).
    """
    cap = out.shape[0]  # the count never exceeds it (see _token_bound); the guard keeps writes in bounds
    h = _U_TOK_SEED
    acc = np.uint64(0)
    fill = np.uint64(0)
    length = 0
    i = start
    while i < end:
        c = buf[i]
        if c < 0x80:
            if 65 <= c <= 90:
                c += 32
            h, acc, fill = _push(h, acc, fill, c)
            length += 1
            i += 1
            continue
        # Decode one UTF-8 sequence (the buffer comes from str.encode, so it is well formed).
        if c >= 0xF0:
            width = 4
            cp = ((np.int64(c) & 0x07) << 18) | ((np.int64(buf[i + 1]) & 0x3F) << 12)
            cp |= ((np.int64(buf[i + 2]) & 0x3F) << 6) | (np.int64(buf[i + 3]) & 0x3F)
        elif c >= 0xE0:
            width = 3
            cp = ((np.int64(c) & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6)
            cp |= np.int64(buf[i + 2]) & 0x3F
        else:
            width = 2
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
                    h, acc, fill = _push(h, acc, fill, r)
                    length += 1
                elif length > 0:
                    if n < cap:
                        out[n] = _finish(h, acc, fill, length)
                    n += 1
                    h = _U_TOK_SEED
                    acc = np.uint64(0)
                    fill = np.uint64(0)
                    length = 0
        else:
            for k in range(i, i + width):
                h, acc, fill = _push(h, acc, fill, buf[k])
            length += width
        i += width
    if length > 0:
        if n < cap:
            out[n] = _finish(h, acc, fill, length)
        n += 1
    return n


@cached
@njit
def _tokenize(buf, start, end, rep_start, rep_len, pool, run_start, run_end, out):
    """Token hashes of document ``buf[start:end]`` into ``out``; returns the token count.

    Fast path, for most words: an ASCII run of at most 16 bytes is read as two 8-byte loads, masked,
    lowercased and hashed without a per-byte loop; anything else goes through :func:`_tokenize_run`.
    """
    size = buf.shape[0]
    cap = out.shape[0]
    nr = _word_runs(buf, start, end, run_start, run_end)
    n = 0
    for r in range(nr):
        a = run_start[r]
        length = run_end[r] - a
        if length <= 16 and a + 16 <= size and n < cap:
            c0 = _load_u64(buf, a) & _MASKS[min(length, 8)]
            c1 = _load_u64(buf, a + 8) & _MASKS[max(length - 8, 0)]
            if ((c0 | c1) & _U_HI) == _U0:
                h = (_U_TOK_SEED ^ _lower8(c0)) * _U_TOK_MUL
                h2 = (h ^ _lower8(c1)) * _U_TOK_MUL
                out[n] = _nb_fmix64((h2 if length > 8 else h) ^ np.uint64(length))
                n += 1
                continue
        n = _tokenize_run(buf, a, a + length, rep_start, rep_len, pool, out, n)
    return n


@cached
@njit(inline="always")
def _shingle_hashes(toks, width, state, keys):
    """``keys[i]`` = shingle hash of ``toks[i:i + width]`` for every ``i < keys.size``; ``state`` is
    uint64 scratch of at least ``keys.size`` entries.

    Window-position-outer: each pass folds one more token into every window's state, so the inner loop
    is ``keys.size`` independent multiply chains that pipeline (and vectorise), where window-outer
    order waited on ``width`` dependent multiplies per window -- 2.5x faster for 5-grams."""
    m = keys.shape[0]
    for i in range(m):
        state[i] = (_U_SHINGLE_SEED ^ toks[i]) * _U_SHINGLE_MUL
    for k in range(1, width):
        for i in range(m):
            state[i] = (state[i] ^ toks[i + k]) * _U_SHINGLE_MUL
    for i in range(m):
        keys[i] = np.uint32(_nb_fmix64(state[i]) >> _U32)


@cached
@njit
def _insertion_sort(keys, n):
    """Sort the first ``n`` uint32 ``keys`` in place: fastest for a few dozen keys."""
    for i in range(1, n):
        v = keys[i]
        j = i - 1
        while j >= 0 and keys[j] > v:
            keys[j + 1] = keys[j]
            j -= 1
        keys[j + 1] = v


@cached
@njit
def _radix_sort(keys, tmp):
    """Sort uint32 ``keys`` in place: LSD radix, 8-bit digits; ``tmp`` is scratch of the same length."""
    n = keys.shape[0]
    if n < 48:
        _insertion_sort(keys, n)  # short documents
    else:
        hist = np.zeros((4, 256), dtype=np.int32)
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


@cached
@njit
def _sort_unique(keys, tmp):
    """Sort uint32 ``keys`` in place and move the unique values to the front; returns their count.
    ``tmp`` is scratch of the same length.

    The keys are hashes, uniform over 32 bits: one counting-sort pass on their top ``b`` bits
    (``2**b >= n`` buckets, about one key each) leaves them nearly sorted, and an insertion sort moves
    each only within its bucket -- ~25% faster than four radix passes for a news article. Should a
    bucket hold many keys (crafted input), the radix sort takes over, so the cost stays linear.

    The insertion pass carries the largest key so far in a register and places ``max(last, v)`` at the
    end without a branch; only a key smaller than its predecessor's bucket-mate runs the (short, rarely
    entered) shifting loop. The unique pass is branch-free too. Both replaced compare-and-branch loops
    whose mispredictions on random keys cost a third of the sort (~1.2 us of ~3.6 us per article)."""
    n = keys.shape[0]
    if n < 48:
        _insertion_sort(keys, n)  # short documents
    else:
        b = 1
        while (1 << b) < n and b < 24:
            b += 1
        shift = np.uint32(32 - b)
        nb = 1 << b
        cnt = np.zeros(nb + 1, dtype=np.int64)
        for i in range(n):
            cnt[(keys[i] >> shift) + 1] += 1
        most = 0
        for d in range(nb):
            most = max(most, cnt[d + 1])
            cnt[d + 1] += cnt[d]
        if most > 16:
            _radix_sort(keys, tmp)
        else:
            for i in range(n):
                v = keys[i]
                d = v >> shift
                tmp[cnt[d]] = v
                cnt[d] += 1
            last = tmp[0]  # keys[:i] is sorted and ends with ``last``
            keys[0] = last
            for i in range(1, n):
                v = tmp[i]
                lo = min(last, v)
                last = max(last, v)
                keys[i] = last
                j = i - 1  # the free slot; ``lo`` goes there or further down
                while j > 0 and keys[j - 1] > lo:
                    keys[j] = keys[j - 1]
                    j -= 1
                keys[j] = lo
    if n == 0:
        return 0
    last = keys[0]
    u = 1
    for i in range(1, n):
        v = keys[i]
        keys[u] = v
        u += v != last
        last = v
    return u


@cached
@njit(inline="always")
def _perm_value(alo: np.uint64, ahi: np.uint32, b: np.uint64, key: np.uint32) -> np.uint32:
    """``((a * key + b) mod 2**64) >> 32`` for ``a = ahi * 2**32 + alo``, from 32x32-bit products.

    AVX2 has no 64x64-bit multiply: the value is hi32(alo * key + b) + ahi * key (mod 2**32), where the
    64-bit ``alo * key + b`` wraps exactly like the full product does (its carry into bit 64 is
    discarded either way); the sum and the minimum run in 32-bit lanes (AVX2 has no 64-bit unsigned
    min)."""
    return np.uint32(np.uint32((alo * np.uint64(key) + b) >> _U32) + np.uint32(ahi * key))


#: Keys per step of :func:`_pair_minima`.
_LANES = 16


@intrinsic
def _pair_minima(typingctx, keys, u, a_lo, a_hi, b, p, row):
    """``row[q] = min_j h_q(keys[j])`` over ``keys[:u]`` for the two permutations ``q = p, p + 1``,
    as explicit vector code, :data:`_LANES` keys per step; the caller guarantees ``_LANES <= u <=
    keys.size`` and ``p + 1 < row.size, a_lo.size, a_hi.size, b.size``.

    With :func:`_perm_value`'s arithmetic: the 64-bit ``alo * k + b`` of the even lanes and of the
    odd lanes (shifted down) are two ``vpmuludq`` + ``vpaddq``; their high halves are already where
    the keys were once the even products are shifted down 32 bits and blended with the odd ones -- so
    ``+ ahi * k`` (``vpmulld``) and the minimum (``vpminud``) run on the lanes in key order. LLVM's own
    vectorisation of the scalar loop widened the keys to 64 bits and packed the high halves back with
    two shuffles (one crossing 128-bit lanes) per permutation; this is ~20% faster. 16 lanes fill a
    512-bit register where the CPU has AVX-512 (5-12% faster than 8 lanes here; LLVM splits them
    into 256-bit halves elsewhere). The last step loads the final ``_LANES`` keys, overlapping the
    previous step when ``u`` is not a multiple of it (keys seen twice do not change a minimum), so
    there is no scalar tail."""
    for arr, dt in ((keys, types.uint32), (a_lo, types.uint32), (a_hi, types.uint32), (b, types.uint64), (row, types.uint32)):
        if not (isinstance(arr, types.Array) and arr.dtype == dt and arr.ndim == 1 and arr.layout == "C"):
            return None
    if not (isinstance(u, types.Integer) and isinstance(p, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        i32 = ir.IntType(32)
        i64 = ir.IntType(64)
        v8 = ir.VectorType(i32, _LANES)
        v4 = ir.VectorType(i64, _LANES // 2)
        keys_ptr, a_lo_ptr, a_hi_ptr, b_ptr, row_ptr = (
            context.make_array(signature.args[i])(context, builder, args[i]).data for i in (0, 2, 3, 4, 6)
        )
        n = context.cast(builder, args[1], signature.args[1], types.intp)
        p0 = context.cast(builder, args[5], signature.args[5], types.intp)
        intp = n.type

        def splat(value: ir.Value, vec: ir.VectorType) -> ir.Value:
            one = builder.insert_element(ir.Constant(vec, ir.Undefined), value, ir.Constant(i32, 0))
            return builder.shuffle_vector(one, one, ir.Constant(ir.VectorType(i32, vec.count), [0] * vec.count))

        params = []
        for q in range(2):
            idx = builder.add(p0, ir.Constant(intp, q))
            alo = splat(builder.zext(builder.load(builder.gep(a_lo_ptr, [idx])), i64), v4)
            ahi = splat(builder.load(builder.gep(a_hi_ptr, [idx])), v8)
            bq = splat(builder.load(builder.gep(b_ptr, [idx])), v4)
            params.append((alo, ahi, bq))
        steps = builder.sdiv(builder.add(n, ir.Constant(intp, _LANES - 1)), ir.Constant(intp, _LANES))
        last = builder.sub(n, ir.Constant(intp, _LANES))
        low32 = ir.Constant(v4, [0xFFFFFFFF] * (_LANES // 2))
        by32 = ir.Constant(v4, [32] * (_LANES // 2))
        blend = ir.Constant(ir.VectorType(i32, _LANES), [i if i % 2 == 0 else _LANES + i for i in range(_LANES)])
        ones = ir.Constant(v8, [0xFFFFFFFF] * _LANES)

        entry = builder.block
        loop = builder.append_basic_block("pair_minima.loop")
        done = builder.append_basic_block("pair_minima.done")
        builder.branch(loop)
        builder.position_at_end(loop)
        j = builder.phi(intp)
        accs = [builder.phi(v8), builder.phi(v8)]
        j.add_incoming(ir.Constant(intp, 0), entry)
        for acc in accs:
            acc.add_incoming(ones, entry)
        off = builder.mul(j, ir.Constant(intp, _LANES))
        off = builder.select(builder.icmp_signed("<", off, last), off, last)
        k8 = builder.load(builder.bitcast(builder.gep(keys_ptr, [off]), v8.as_pointer()), align=4)
        k4 = builder.bitcast(k8, v4)
        even = builder.and_(k4, low32)  # the masks tell LLVM these are 32-bit operands: vpmuludq
        odd = builder.lshr(k4, by32)
        new = []
        for (alo, ahi, bq), acc in zip(params, accs, strict=True):
            hi_even = builder.lshr(builder.add(builder.mul(even, alo), bq), by32)
            hi_odd = builder.add(builder.mul(odd, alo), bq)
            high = builder.shuffle_vector(builder.bitcast(hi_even, v8), builder.bitcast(hi_odd, v8), blend)
            value = builder.add(high, builder.mul(k8, ahi))
            new.append(builder.select(builder.icmp_unsigned("<", value, acc), value, acc))
        j_next = builder.add(j, ir.Constant(intp, 1))
        j.add_incoming(j_next, loop)
        for acc, value in zip(accs, new, strict=True):
            acc.add_incoming(value, loop)
        builder.cbranch(builder.icmp_signed("<", j_next, steps), loop, done)

        builder.position_at_end(done)
        for q, acc in enumerate(new):
            m = builder.extract_element(acc, ir.Constant(i32, 0))
            for lane in range(1, _LANES):
                x = builder.extract_element(acc, ir.Constant(i32, lane))
                m = builder.select(builder.icmp_unsigned("<", x, m), x, m)
            builder.store(m, builder.gep(row_ptr, [builder.add(p0, ir.Constant(intp, q))]))
        return context.get_dummy_value()

    return types.void(keys, u, a_lo, a_hi, b, p, row), codegen


@cached
@njit(inline="always")
def _minima(keys, u, a_lo, a_hi, b, row):
    """``row[p] = min_j h_p(keys[j])`` over ``keys[:u]``.

    Permutation-outer, key-inner, two permutations per pass sharing the loaded keys
    (:func:`_pair_minima`; the parameters stay in registers, the keys in L1). Fewer than
    :data:`_LANES` keys, and the last permutation of an odd ``num_perm``, take the scalar loop."""
    num_perm = row.shape[0]
    first = 0
    if u >= _LANES:
        for p in range(0, num_perm - 1, 2):
            _pair_minima(keys, u, a_lo, a_hi, b, p, row)
        first = num_perm - num_perm % 2
    for p in range(first, num_perm):
        alo = np.uint64(a_lo[p])
        m = np.uint32(0xFFFFFFFF)
        for j in range(u):
            m = min(m, _perm_value(alo, a_hi[p], b[p], keys[j]))
        row[p] = m


@intrinsic
def _fetch_add(typingctx, counter, value):
    """Atomically add ``value`` to ``counter[0]`` (an int64 array) and return the previous value."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64 and counter.ndim == 1):
        return None
    if not isinstance(value, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        ptr = context.make_array(signature.args[0])(context, builder, args[0]).data
        v = context.cast(builder, args[1], signature.args[1], types.int64)
        return builder.atomic_rmw("add", ptr, v, "monotonic")

    return types.int64(counter, value), codegen


@cached
@njit
def _sign_doc(buf, s, e, ngram, a_lo, a_hi, b, rep_start, rep_len, pool, run_start, run_end, toks, tmp, keys, row):
    """Sign document ``buf[s:e]`` into ``row``, its sorted unique shingle hashes into the front of
    ``keys``; returns their count. The scratch arrays hold at least ``(e - s) // 2 + 1`` entries (the
    run positions :data:`_SLACK` more), ``keys`` as many."""
    nt = _tokenize(buf, s, e, rep_start, rep_len, pool, run_start, run_end, toks)
    if nt == 0:
        row[:] = np.uint32(0xFFFFFFFF)
        return 0
    width = ngram if nt >= ngram else nt
    m = nt - width + 1
    _shingle_hashes(toks, width, run_start.view(np.uint64), keys[:m])  # run starts: no longer needed
    u = _sort_unique(keys[:m], tmp[:m])
    _minima(keys, u, a_lo, a_hi, b, row)
    return u


@cached
@njit(parallel=True, nogil=True)
def _sign_kernel(buf, starts, bound, ngram, a_lo, a_hi, b, rep_start, rep_len, pool, scratch, nuniq, sigs, threads):
    """Sign documents ``buf[starts[d]:starts[d + 1]]``: ``sigs[d]``, and their sorted unique shingle
    hashes in ``scratch[bound[d]:bound[d] + nuniq[d]]`` (``bound`` reserves :func:`_token_bound`).

    One worker per thread (``threads``: numba's current count, passed in because calling
    ``numba.get_num_threads`` here would keep the kernel out of the cache) takes blocks of
    :data:`_BLOCK_DOCS` documents from a shared atomic counter until none is left (dynamic scheduling; every document's result is the same whoever signs it).
    ``prange`` over the documents split them into one fixed half per thread: when a core is also busy
    with the encoding thread (or another process), the other thread finished its half early and idled.
    Each worker's scratch arrays live across its documents and grow to the longest one."""
    n = starts.shape[0] - 1
    blocks = (n + _BLOCK_DOCS - 1) // _BLOCK_DOCS
    workers = min(threads, blocks)
    counter = np.zeros(1, dtype=np.int64)
    for _ in prange(workers):
        size = 0
        run_start = np.empty(0, dtype=np.int64)
        run_end = np.empty(0, dtype=np.int64)
        toks = np.empty(0, dtype=np.uint64)
        tmp = np.empty(0, dtype=np.uint32)
        while True:
            blk = _fetch_add(counter, 1)
            if blk >= blocks:
                break
            for d in range(blk * _BLOCK_DOCS, min(n, (blk + 1) * _BLOCK_DOCS)):
                s = starts[d]
                e = starts[d + 1]
                cap = (e - s) // 2 + 1
                if cap > size:
                    size = max(cap, 2 * size)
                    run_start = np.empty(size + _SLACK, dtype=np.int64)
                    run_end = np.empty(size + _SLACK, dtype=np.int64)
                    toks = np.empty(size, dtype=np.uint64)
                    tmp = np.empty(size, dtype=np.uint32)
                keys = scratch[bound[d] : bound[d + 1]]
                nuniq[d] = _sign_doc(
                    buf, s, e, ngram, a_lo, a_hi, b, rep_start, rep_len, pool, run_start, run_end, toks, tmp, keys, sigs[d]
                )


@cached
@njit(parallel=True, nogil=True)
def _compact(scratch, bound, offsets, out):
    for d in prange(offsets.shape[0] - 1):
        o = offsets[d]
        s = bound[d]
        for k in range(offsets[d + 1] - o):
            out[o + k] = scratch[s + k]


# --------------------------------------------------------------------------------------------------
# Public batch API

# The kernels release the GIL; this lock keeps two Python threads from running them at once (numba's
# workqueue threading layer aborts on concurrent parallel launches).
_KERNEL_LOCK = threading.Lock()


def encode_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of all ``texts`` in one uint8 buffer, and int64 ``starts`` of length n+1.

    The buffer ends with a few zero bytes after ``starts[-1]`` (the kernel's 8-byte loads)."""
    return join_encoded([t.encode("utf-8", "surrogatepass") for t in texts])


def join_encoded(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Texts already in UTF-8 as :func:`encode_batch` gives them: in one uint8 buffer with zero
    bytes after the last, and their int64 ``starts`` (n+1 of them)."""
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=starts[1:])
    # One join: peak memory is twice the UTF-8 size of the batch while ``encoded`` lives.
    return np.frombuffer(b"".join([*encoded, _PADDING]), dtype=np.uint8), starts


#: ``_native.encode_into`` (UTF-8 written straight into a buffer, ``surrogatepass`` like
#: :func:`encode_batch`), or None where the C module is not built.
_ENCODE_INTO: Callable[[Any, int, int, list[str], bool], Any] | None = native("encode_into")


class _Encoder:
    """Chunks of a batch encoded into two buffers kept for the whole call, taken in turn: the helper
    thread writes one while the kernel reads the other (see :func:`sign_batch`).

    :func:`encode_batch` makes a bytes object a text and joins them into a new one: 45-76 ms for the
    10k cleaned synthetic texts (nine in ten not ASCII), on the helper thread while both signing
    threads want the two cores, and every chunk in new memory. ``_native.encode_into`` writes the
    characters where they go, 23 ms, into memory the chunk before last used. Without the C module,
    :func:`encode_batch`."""

    __slots__ = ("buffers",)

    def __init__(self) -> None:
        self.buffers = [np.empty(0, dtype=np.uint8), np.empty(0, dtype=np.uint8)]

    def encode(self, texts: Sequence[str], which: int) -> tuple[np.ndarray, np.ndarray]:
        """:func:`encode_batch` of ``texts``, in buffer ``which`` (0 or 1)."""
        if _ENCODE_INTO is None:
            return encode_batch(texts)
        texts = list(texts)
        buf = self.buffers[which]
        # A buffer too small for the chunk is replaced by one of what it cannot exceed (4 bytes a
        # character; only the pages written are ever touched) and the chunk written again.
        ends = _ENCODE_INTO(buf, 0, buf.shape[0] - _PAD, texts, False) if buf.shape[0] >= _PAD else None
        if ends is None:
            room = 4 * sum(map(len, texts))
            buf = self.buffers[which] = np.empty(room + _PAD, dtype=np.uint8)
            ends = _ENCODE_INTO(buf, 0, room, texts, False)
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        starts[1:] = ends
        end = int(starts[-1])
        buf[end : end + _PAD] = 0
        return buf, starts


def _token_bound(starts: np.ndarray) -> np.ndarray:
    """int64 ``(n + 1,)`` cumulative per-document upper bounds on the token count: ``bytes // 2 + 1``.

    A token is at least one byte, and two tokens are apart by at least one separator byte or start
    in a multi-byte character: each code point's normalised form starts at most one word (asserted
    where :func:`dedup.shingle.kernel_tables` are built)."""
    bound = np.zeros(starts.shape[0], dtype=np.int64)
    np.cumsum(np.diff(starts) // 2 + 1, out=bound[1:])
    return bound


class _Gather:
    """The shingle hashes of a batch as its chunks are signed: each chunk's kernel writes a document's
    sorted unique hashes at a place reserved for it in ``scratch`` (:func:`_token_bound`, about three
    times what they take), and they are then moved together to the end of ``hashes`` before the next
    chunk reuses ``scratch``.

    Why not one scratch per chunk, all moved together at the end (as before): every array of a call
    was new memory, the scratch alone some 3x the hashes' size (6.0 KB reserved for the 2.2 KB of
    hashes of a cleaned synthetic text), and the first write to each new page faults and zeroes
    it. Signing the 10k cleaned synthetic texts on 2 threads in a fresh process, the final gathering
    took 39-45 ms in a process's first calls and 7 ms once its memory was reused; the benchmark's
    signing stage times such first calls (docs/PERFORMANCE.md). ``hashes`` grows by
    ``ndarray.resize`` (``realloc``: a large block is remapped, not copied; numpy zeroes the new
    part) to an estimate from the chunks so far, and is cut to its size at the end."""

    __slots__ = ("filled", "hashes", "n", "nuniq", "scratch")

    def __init__(self, n: int) -> None:
        #: Documents in the whole batch (for the estimate of the hashes' size).
        self.n = n
        self.scratch = np.empty(0, dtype=np.uint32)
        self.hashes = np.empty(0, dtype=np.uint32)
        #: Hashes held so far (the front of ``hashes``).
        self.filled = 0
        #: Each chunk's unique hash counts per document.
        self.nuniq: list[np.ndarray] = []

    def reserve(self, size: int) -> np.ndarray:
        """``scratch``, at least ``size`` entries (grown, never shrunk: a chunk's hashes are gathered
        before the next chunk is signed)."""
        if self.scratch.shape[0] < size:
            self.scratch = np.empty(size, dtype=np.uint32)
        return self.scratch

    def take(self, bound: np.ndarray, nuniq: np.ndarray, num_threads: int | None) -> None:
        """Move one signed chunk's hashes (at ``bound`` in ``scratch``) to the end of ``hashes``."""
        k = nuniq.shape[0]
        offsets = np.zeros(k + 1, dtype=np.int64)
        np.cumsum(nuniq, out=offsets[1:])
        need = self.filled + int(offsets[-1])
        if need > self.hashes.shape[0]:
            done = sum(c.shape[0] for c in self.nuniq) + k
            # The batch so far, scaled to the whole, and a little more: most batches grow it once.
            guess = need * self.n // done + need // 8 if done else need
            self.hashes.resize(max(need, guess), refcheck=False)
        if k:
            with thread_cap(num_threads):
                _compact(self.scratch, bound, offsets, self.hashes[self.filled :])
        self.filled = need
        self.nuniq.append(nuniq)

    def signatures(self, sigs: np.ndarray) -> Signatures:
        nuniq = np.concatenate(self.nuniq) if self.nuniq else np.zeros(0, dtype=np.int64)
        offsets = np.zeros(nuniq.shape[0] + 1, dtype=np.int64)
        np.cumsum(nuniq, out=offsets[1:])
        hashes = self.hashes
        if hashes.shape[0] != self.filled:
            hashes.resize(self.filled, refcheck=False)
        self.scratch = self.hashes = np.empty(0, dtype=np.uint32)
        return Signatures(sigs=sigs, hashes=hashes, offsets=offsets)


def _sign_chunk(
    buf: np.ndarray,
    starts: np.ndarray,
    ngram: int,
    minhash_cfg: MinHashConfig,
    sigs: np.ndarray,
    num_threads: int | None,
    gather: _Gather,
    on_launch: Callable[[], object] | None = None,
) -> None:
    """Run the kernel on one encoded chunk, writing its rows into ``sigs`` and its hashes into
    ``gather``; ``on_launch`` is called right before the kernel starts (see :func:`sign_batch`)."""
    if buf.shape[0] < starts[-1]:
        raise ValueError(f"buffer holds {buf.shape[0]} bytes, starts end at {starts[-1]}")
    rep_start, rep_len, pool = kernel_tables()
    a_lo, a_hi, b = _kernel_params(minhash_cfg.num_perm, minhash_cfg.seed)
    n = starts.shape[0] - 1
    bound = _token_bound(starts)
    scratch = gather.reserve(int(bound[-1]))
    nuniq = np.zeros(n, dtype=np.int64)
    with _KERNEL_LOCK, thread_cap(num_threads):
        if n:
            if on_launch is not None:
                on_launch()
            _sign_kernel(
                buf,
                starts,
                bound,
                ngram,
                a_lo,
                a_hi,
                b,
                rep_start,
                rep_len,
                pool,
                scratch,
                nuniq,
                sigs,
                numba.get_num_threads(),
            )
        gather.take(bound, nuniq, num_threads)


@contextmanager
def thread_cap(num_threads: int | None) -> Iterator[None]:
    """numba's thread count for the calling thread capped at ``num_threads`` (``None``: as it is)
    while the block runs, every parallel kernel of it included.

    Why every kernel: a kernel launched on two threads leaves numba's second OpenMP thread spinning
    for its next task for a while after it (libgomp's default wait policy). In a run whose cleaning
    workers keep both cores busy, the small kernels between the signing ones (gathering the unique
    hashes, banding) did that after every chunk: 0.08-0.12 CPU-s of spinning per 10,000 documents
    in the main process, which the workers then missed (measured with ``/proc`` per thread).
    """
    if num_threads is None:
        yield
        return
    previous = numba.get_num_threads()
    numba.set_num_threads(min(num_threads, numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def _check_threads(num_threads: int | None) -> None:
    if num_threads is not None and num_threads < 1:
        raise ConfigError(f"num_threads={num_threads}: must be at least 1")


def sign_encoded(
    buf: np.ndarray,
    starts: np.ndarray,
    shingle_cfg: ShingleConfig,
    minhash_cfg: MinHashConfig,
    *,
    num_threads: int | None = None,
) -> Signatures:
    """:func:`sign_batch` of texts already encoded by :func:`encode_batch` (any contiguous uint8 buffer
    of well-formed UTF-8 works; document ``i`` is ``buf[starts[i]:starts[i + 1]]``).

    Signed :data:`CHUNK_DOCS` documents at a time, so that the kernel's scratch (see :class:`_Gather`)
    is the size of a chunk, not of the batch."""
    _check_threads(num_threads)
    buf = np.ascontiguousarray(buf, dtype=np.uint8)
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    n = starts.shape[0] - 1
    sigs = np.empty((n, minhash_cfg.num_perm), dtype=np.uint32)
    gather = _Gather(n)
    for lo in range(0, max(n, 1), CHUNK_DOCS):
        hi = min(n, lo + CHUNK_DOCS)
        _sign_chunk(buf, starts[lo : hi + 1], shingle_cfg.ngram, minhash_cfg, sigs[lo:hi], num_threads, gather)
    return gather.signatures(sigs)


_EXECUTOR: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dedup-encode")
    return _EXECUTOR


def _chunk_bounds(n: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` of the chunks :func:`sign_batch` pipelines ``n`` texts in: the sizes double from
    ``CHUNK_DOCS // 8`` up to :data:`CHUNK_DOCS`. The first chunk's encoding overlaps nothing (both
    cores but one idle), so it is kept short; each chunk's kernel still outlasts the encoding of the
    next, twice its size (the kernel costs ~4x the encoding per document). A batch of at most
    ``CHUNK_DOCS // 8`` texts is one chunk."""
    bounds = []
    lo = 0
    size = max(1, CHUNK_DOCS // 8)
    while lo < n:
        hi = min(n, lo + size)
        bounds.append((lo, hi))
        lo = hi
        size = min(CHUNK_DOCS, 2 * size)
    return bounds


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
    Batches of more than ``CHUNK_DOCS // 8`` texts are pipelined (:func:`_chunk_bounds`): a helper
    thread encodes chunk ``k + 1`` while the calling thread signs chunk ``k``.

    The GIL decides the roles: encoding holds it, the kernel does not. With the kernel on the helper
    thread (as before), each chunk's kernel had to take the GIL from the encoding loop to start (and
    CPython hands it over only after its 5 ms switch interval), so the kernel waited ~5 ms of every
    ~30 ms chunk. Now the calling thread needs the GIL only between kernels, and it submits the next
    encoding only once its Python preparations are done, just before the kernel releases the GIL (so
    it does not lose the GIL to the freshly woken helper for a switch interval either).
    """
    _check_threads(num_threads)
    n = len(texts)
    bounds = _chunk_bounds(n)
    if len(bounds) <= 1:  # nothing to overlap: one chunk, encoded here
        return sign_encoded(*_Encoder().encode(texts, 0), shingle_cfg, minhash_cfg, num_threads=num_threads)
    sigs = np.empty((n, minhash_cfg.num_perm), dtype=np.uint32)
    ngram = shingle_cfg.ngram
    gather = _Gather(n)
    encoder = _Encoder()
    encoded = encoder.encode(texts[: bounds[0][1]], 0)
    pending: list[Future[tuple[np.ndarray, np.ndarray]]] = []
    for k, (lo, hi) in enumerate(bounds):
        following = texts[hi : bounds[k + 1][1]] if k + 1 < len(bounds) else None

        def encode_following(following: Sequence[str] | None = following, which: int = (k + 1) % 2) -> None:
            if following is not None:
                pending.append(_executor().submit(encoder.encode, following, which))

        _sign_chunk(*encoded, ngram, minhash_cfg, sigs[lo:hi], num_threads, gather, encode_following)
        if pending:
            encoded = pending.pop().result()
    return gather.signatures(sigs)


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
    import datasketch

    if row.shape != (minhash_cfg.num_perm,):
        raise ValueError(f"signature has shape {row.shape}, expected ({minhash_cfg.num_perm},)")
    # "affine32": 32-bit values with 0xFFFFFFFF as the empty sentinel, like ours.
    return datasketch.LeanMinHash(seed=minhash_cfg.seed, hashvalues=row.astype(np.uint32), scheme="affine32")
