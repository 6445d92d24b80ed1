"""MinHash signatures (dedup.signature): kernel == reference, determinism, accuracy, export."""

from __future__ import annotations

import subprocess
import sys

import datasketch
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import DedupConfig, MinHashConfig, ShingleConfig
from dedup.shingle import shingles
from dedup.signature import (
    Signatures,
    encode_batch,
    estimate_jaccard,
    shingle_hashes_reference,
    sign_batch,
    sign_datasketch,
    sign_encoded,
    sign_reference,
    signature,
    to_lean_minhash,
)

SC = ShingleConfig(ngram=5)
MC = MinHashConfig(num_perm=128, seed=1)

SAMPLES = [
    "Officials said on Tuesday that the new bridge would open next spring, weeks ahead of schedule.",
    "China’s “Big” news—today… Straße ＡＢＣ co\u00adoperate, and NAÏVE Élan café.",
    "Один два три четыре пять шесть семь. ΣΊΣΥΦΟΣ Ὀδυσσεύς",
    "नमस्ते दुनिया यह एक परीक्षण है और कुछ और शब्द",
    "東京で会議が開かれた 😀 emoji\u200bsplit ½ № 5",
    "Short text",
    "one",
    "",
    "   — … ,,, ",
    "repeat repeat repeat repeat repeat repeat repeat repeat repeat",
]


def _make_vocab() -> tuple[str, ...]:
    rng = np.random.default_rng(0)
    letters = np.array(list("etaoinshrdlcumwfgypbvk"))
    return tuple("".join(rng.choice(letters, size=int(rng.integers(2, 9)))) for _ in range(3000))


_VOCAB = _make_vocab()


def _words(rng: np.random.Generator, n: int) -> list[str]:
    return [_VOCAB[i] for i in rng.integers(0, len(_VOCAB), size=n)]


def test_kernel_matches_reference() -> None:
    batch = sign_batch(SAMPLES, SC, MC)
    for i, text in enumerate(SAMPLES):
        np.testing.assert_array_equal(batch.sigs[i], sign_reference(text, SC, MC), err_msg=repr(text))
        assert batch.doc_hashes(i).tolist() == shingle_hashes_reference(text, SC.ngram), repr(text)


@pytest.mark.parametrize("ngram", [1, 3, 9])
def test_kernel_matches_reference_other_ngrams(ngram: int) -> None:
    sc = ShingleConfig(ngram=ngram)
    mc = MinHashConfig(num_perm=32, seed=7)
    batch = sign_batch(SAMPLES, sc, mc)
    for i, text in enumerate(SAMPLES):
        np.testing.assert_array_equal(batch.sigs[i], sign_reference(text, sc, mc))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=4))
def test_kernel_matches_reference_on_any_unicode(texts: list[str]) -> None:
    sc = ShingleConfig(ngram=2)
    mc = MinHashConfig(num_perm=16, seed=3)
    batch = sign_batch(texts, sc, mc)
    for i, text in enumerate(texts):
        assert batch.doc_hashes(i).tolist() == shingle_hashes_reference(text, sc.ngram)
        np.testing.assert_array_equal(batch.sigs[i], sign_reference(text, sc, mc))


def test_layout_and_empty_documents() -> None:
    batch = sign_batch(SAMPLES, SC, MC)
    assert isinstance(batch, Signatures) and len(batch) == len(SAMPLES)
    assert batch.sigs.dtype == np.uint32 and batch.sigs.shape == (len(SAMPLES), 128)
    assert batch.hashes.dtype == np.uint32 and batch.offsets.dtype == np.int64
    assert batch.offsets.shape == (len(SAMPLES) + 1,) and batch.offsets[-1] == batch.hashes.size
    for i in range(len(SAMPLES)):
        h = batch.doc_hashes(i)
        assert np.all(np.diff(h.astype(np.int64)) > 0)  # sorted, unique
    for i in (SAMPLES.index(""), SAMPLES.index("   — … ,,, ")):
        assert np.all(batch.sigs[i] == 0xFFFFFFFF) and batch.doc_hashes(i).size == 0
    assert (
        batch.doc_hashes(SAMPLES.index("repeat repeat repeat repeat repeat repeat repeat repeat repeat")).size
        == 1
    )
    empty = sign_batch([], SC, MC)
    assert empty.sigs.shape == (0, 128) and empty.offsets.tolist() == [0]


def test_same_text_same_signature_in_any_batch_and_thread_count() -> None:
    rng = np.random.default_rng(5)
    docs = [" ".join(_words(rng, int(rng.integers(0, 300)))) for _ in range(60)] + SAMPLES
    full = sign_batch(docs, SC, MC)
    order = rng.permutation(len(docs))
    shuffled = sign_batch([docs[i] for i in order], SC, MC, num_threads=1)
    np.testing.assert_array_equal(shuffled.sigs, full.sigs[order])
    for k, i in enumerate(order):
        np.testing.assert_array_equal(shuffled.doc_hashes(k), full.doc_hashes(int(i)))
    for i in (0, 7, len(docs) - 1):
        np.testing.assert_array_equal(sign_batch([docs[i]], SC, MC).sigs[0], full.sigs[i])


def test_signature_per_document() -> None:
    cfg = DedupConfig(shingle=ShingleConfig(ngram=3), minhash=MinHashConfig(num_perm=64, seed=9))
    text = SAMPLES[0]
    np.testing.assert_array_equal(signature(text, cfg), sign_reference(text, cfg.shingle, cfg.minhash))
    np.testing.assert_array_equal(signature(text), sign_batch([text], SC, MC).sigs[0])


def test_seed_changes_signature() -> None:
    a = sign_batch([SAMPLES[0]], SC, MC).sigs[0]
    b = sign_batch([SAMPLES[0]], SC, MinHashConfig(num_perm=128, seed=2)).sigs[0]
    assert not np.array_equal(a, b)


def _edit(rng: np.random.Generator, words: list[str], strength: float) -> list[str]:
    """A near-duplicate: substitutions, deletions, insertions or a truncation, ``strength`` in [0, 1]."""
    out = list(words)
    kind = int(rng.integers(0, 4))
    n_edits = int(strength * len(words) / 8)
    if kind == 3:
        return out[: max(5, int(len(out) * (1 - 0.65 * strength)))]
    filler = _words(rng, n_edits + 1)
    for e in range(n_edits):
        pos = int(rng.integers(0, len(out)))
        if kind == 0:
            out[pos] = filler[e]
        elif kind == 1 and len(out) > 10:
            del out[pos]
        else:
            out.insert(pos, filler[e])
    return out


def test_jaccard_accuracy_kernel_vs_datasketch() -> None:
    rng = np.random.default_rng(11)
    originals, copies = [], []
    for k in range(200):
        words = _words(rng, int(rng.integers(120, 260)))
        originals.append(" ".join(words))
        copies.append(" ".join(_edit(rng, words, k / 200)))
    sigs_a = sign_batch(originals, SC, MC).sigs
    sigs_b = sign_batch(copies, SC, MC).sigs
    truth, ours, theirs = [], [], []
    for i in range(200):
        sa, sb = set(shingles(originals[i], 5)), set(shingles(copies[i], 5))
        truth.append(len(sa & sb) / len(sa | sb))
        ours.append(estimate_jaccard(sigs_a[i], sigs_b[i]))
        theirs.append(sign_datasketch(originals[i], SC, MC).jaccard(sign_datasketch(copies[i], SC, MC)))
    truth_a = np.array(truth)
    assert truth_a.min() < 0.35 and truth_a.max() > 0.95 and np.mean((truth_a > 0.3) & (truth_a < 0.9)) > 0.5
    mae_ours = float(np.mean(np.abs(np.array(ours) - truth_a)))
    mae_ds = float(np.mean(np.abs(np.array(theirs) - truth_a)))
    assert mae_ours <= 0.04 and mae_ds <= 0.04
    assert mae_ours <= mae_ds + 0.01, (mae_ours, mae_ds)


def test_lean_minhash_export_and_lsh() -> None:
    rng = np.random.default_rng(2)
    base = _words(rng, 200)
    near = list(base)
    near[100:104] = ["changed", "words", "right", "here"]
    other = _words(rng, 200)
    sigs = sign_batch([" ".join(base), " ".join(near), " ".join(other)], SC, MC).sigs
    lean = [to_lean_minhash(row, MC) for row in sigs]
    assert isinstance(lean[0], datasketch.LeanMinHash)
    assert lean[0].jaccard(lean[1]) == pytest.approx(estimate_jaccard(sigs[0], sigs[1]))
    assert lean[0].jaccard(lean[2]) == pytest.approx(estimate_jaccard(sigs[0], sigs[2]))
    lsh = datasketch.MinHashLSH(threshold=0.5, num_perm=MC.num_perm)
    for i, m in enumerate(lean):
        lsh.insert(f"d{i}", m)
    assert set(lsh.query(lean[0])) == {"d0", "d1"}
    with pytest.raises(ValueError):
        to_lean_minhash(sigs[0][:64], MC)


def test_estimate_jaccard() -> None:
    a = np.arange(128, dtype=np.uint32)
    b = a.copy()
    b[:32] += 1
    assert estimate_jaccard(a, a) == 1.0 and estimate_jaccard(a, b) == 0.75
    with pytest.raises(ValueError):
        estimate_jaccard(a, a[:64])


def test_import_compiles_nothing() -> None:
    code = (
        "import dedup.signature as s\n"
        "assert all(not k.signatures for k in (s._sign_kernel, s._compact, s._tokenize)), 'compiled'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_mixed_replacement_counts_tokens_like_tokenizer() -> None:
    texts = ["a\u0149b c\u0149 \u0149", "x" * 3 + "\u0149" * 5]
    batch = sign_batch(texts, ShingleConfig(ngram=1), MC)
    for i, text in enumerate(texts):
        assert batch.doc_hashes(i).tolist() == shingle_hashes_reference(text, 1)


_WORDS = st.sampled_from(
    [
        "a",
        "Officials",
        "said",
        "China’s",
        "“Big”",
        "news—today",
        "ŉŉ",
        "x" * 17,
        "ABCDEFGHIJKLMNOP",
        "12345678",
        "Élan",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=80).map(" ".join), min_size=1, max_size=4))
def test_kernel_matches_reference_on_long_word_texts(texts: list[str]) -> None:
    # Word runs crossing the kernel's 64-byte blocks, 8/16-byte fast-path edges and the buffer end.
    sc = ShingleConfig(ngram=3)
    mc = MinHashConfig(num_perm=17, seed=4)  # odd: the unpaired last permutation
    batch = sign_batch(texts, sc, mc)
    for i, text in enumerate(texts):
        assert batch.doc_hashes(i).tolist() == shingle_hashes_reference(text, sc.ngram)
        np.testing.assert_array_equal(batch.sigs[i], sign_reference(text, sc, mc))


def test_unpadded_buffer_and_repeated_shingles() -> None:
    texts = ["repeat " * 200, "Tail word at the very end" * 5, "ab" * 40]
    buf, starts = encode_batch(texts)
    exact = np.array(buf[: starts[-1]])  # no zero padding after the last document
    got = sign_encoded(exact, starts, SC, MC, num_threads=1)
    for i, text in enumerate(texts):
        assert got.doc_hashes(i).tolist() == shingle_hashes_reference(text, SC.ngram)
        np.testing.assert_array_equal(got.sigs[i], sign_reference(text, SC, MC))


def test_pipelined_chunks_match_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.signature as sig_mod

    rng = np.random.default_rng(8)
    docs = [" ".join(_words(rng, int(rng.integers(0, 120)))) for _ in range(50)]
    whole = sign_batch(docs, SC, MC)
    monkeypatch.setattr(sig_mod, "CHUNK_DOCS", 7)
    chunked = sign_batch(docs, SC, MC, num_threads=1)
    np.testing.assert_array_equal(chunked.sigs, whole.sigs)
    np.testing.assert_array_equal(chunked.offsets, whole.offsets)
    np.testing.assert_array_equal(chunked.hashes, whole.hashes)


def test_the_hashes_grow_past_the_first_chunks_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunks' hashes are gathered into one array grown to an estimate from the chunks so far
    (see signature._Gather): short documents first and long ones last outgrow every estimate, and
    the result is each document's own hashes, in an array of exactly their number."""
    import dedup.signature as sig_mod

    rng = np.random.default_rng(11)
    docs = [" ".join(_words(rng, 3 + k * k)) for k in range(40)]
    monkeypatch.setattr(sig_mod, "CHUNK_DOCS", 8)
    grown: list[int] = []
    original_take = sig_mod._Gather.take

    def take(self, bound, nuniq, num_threads):  # type: ignore[no-untyped-def]
        before = self.hashes.shape[0]
        original_take(self, bound, nuniq, num_threads)
        if self.hashes.shape[0] != before:
            grown.append(self.hashes.shape[0])

    monkeypatch.setattr(sig_mod._Gather, "take", take)
    for got in (sign_batch(docs, SC, MC, num_threads=1), sign_encoded(*encode_batch(docs), SC, MC, num_threads=2)):
        assert got.hashes.shape[0] == got.offsets[-1]
        assert got.hashes.flags.c_contiguous and got.hashes.dtype == np.uint32
        for i, text in enumerate(docs):
            assert got.doc_hashes(i).tolist() == shingle_hashes_reference(text, SC.ngram)
            np.testing.assert_array_equal(got.sigs[i], sign_reference(text, SC, MC))
    assert len(grown) > 2  # the estimate was outgrown more than once


@pytest.mark.parametrize("stand_in", [False, True])
def test_chunks_encoded_into_kept_buffers_are_encode_batchs(monkeypatch: pytest.MonkeyPatch, stand_in: bool) -> None:
    """sign_batch encodes its chunks into two buffers kept for the call (signature._Encoder): the
    same bytes and starts as encode_batch, zero padding after them, and a buffer too small for a
    chunk of wide characters (3 and 4 bytes each, surrogates) grown and the chunk written again.
    ``stand_in``: with the Python stand-in of the C writer (what a build without the C module lacks)."""
    import dedup.signature as sig_mod
    from dedup.parallel import _encode_into_py

    if stand_in:
        monkeypatch.setattr(sig_mod, "_ENCODE_INTO", _encode_into_py)
    elif sig_mod._ENCODE_INTO is None:
        pytest.skip("the C module is not built (the stand-in case covers the logic)")
    chunks = [["plain ascii words " * 20] * 5, ["東京で会議が開かれた " * 30, "😀\U0001f600 ½ №" * 40, "\ud800 lone"],
              SAMPLES, ["x"], [""], ["Ὀδυσσεύς " * 100]]
    enc = sig_mod._Encoder()
    for k, texts in enumerate(chunks):
        buf, starts = enc.encode(texts, k % 2)
        want_buf, want_starts = encode_batch(texts)
        np.testing.assert_array_equal(starts, want_starts)
        end = int(starts[-1])
        assert bytes(buf[: end + sig_mod._PAD]) == bytes(want_buf[: end + sig_mod._PAD])
        assert buf is enc.buffers[k % 2]
    monkeypatch.setattr(sig_mod, "CHUNK_DOCS", 8)
    texts = [t for chunk in chunks for t in chunk] * 3
    got = sign_batch(texts, SC, MC, num_threads=2)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(got.sigs[i], sign_reference(text, SC, MC))


def test_a_thread_cap_holds_for_every_kernel_of_a_batch(monkeypatch: pytest.MonkeyPatch, thread_counts) -> None:  # type: ignore[no-untyped-def]
    """num_threads caps the gathering of the unique hashes too, not only the signing kernel: a
    kernel launched on more threads leaves numba's other threads spinning after it, on cores
    the caller meant for something else (see signature.thread_cap)."""
    import numba

    import dedup.signature as sig_mod

    seen = thread_counts(sig_mod, "_compact")
    monkeypatch.setattr(sig_mod, "CHUNK_DOCS", 8)  # the pipelined path as well as the single chunk
    before = numba.get_num_threads()
    sign_batch(SAMPLES, SC, MC, num_threads=1)
    sign_batch(SAMPLES[:1], SC, MC, num_threads=1)
    sign_encoded(*encode_batch(SAMPLES), SC, MC, num_threads=1)
    # One gathering for each chunk of the pipelined batch, one for the single chunk, and one for each
    # CHUNK_DOCS documents given encoded.
    encoded_chunks = -(-len(SAMPLES) // 8)
    assert encoded_chunks > 1
    assert seen == [1] * (len(sig_mod._chunk_bounds(len(SAMPLES))) + 1 + encoded_chunks)
    assert numba.get_num_threads() == before  # given back
    with sig_mod.thread_cap(None):
        assert numba.get_num_threads() == before
    with pytest.raises(RuntimeError), sig_mod.thread_cap(1):
        raise RuntimeError("given back on the way out too")
    assert numba.get_num_threads() == before
