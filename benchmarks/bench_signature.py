#!/usr/bin/env python3
"""Throughput of :func:`dedup.signature.sign_batch` against datasketch and rensa, in documents/s.

    python benchmarks/bench_signature.py --n 20000 [--repeats 5] [--peer-n 1000] [--seed 0]

Generates ``--n`` seeded synthetic news-like documents (~600 words: Zipf-distributed vocabulary,
capitalised sentences, commas, quotations, numbers; half of them with curly quotes, em/en dashes and
ellipses, so the kernel's non-ASCII path is exercised), then reports the median over ``--repeats``
runs of:

* ``encode``: the Python side alone (UTF-8 encode + one join + offsets);
* ``kernel 1 thread`` / ``kernel 2 threads``: the compiled kernels on the encoded batch;
* ``total 2 threads``: ``sign_batch(texts, ..., num_threads=2)``, clean text to signatures;
* ``datasketch``: ``MinHash(num_perm=128)`` + ``update_batch`` per document, with hand-written word
  5-gram shingles (``lower().split()``, the cheapest way to build them in Python), on ``--peer-n``
  documents and extrapolated; ``datasketch update_batch only`` excludes building the shingles;
* ``rensa``: ``RMinHash(128, seed).update(shingles)`` per document, shingles built the same way.

128 permutations, word 5-grams. The ratios compare ``total 2 threads`` with each peer. Everything
runs in this one process, so the numbers share the machine's state; on a shared machine read the
spread (min-max) as well as the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).absolute().parent.parent))  # the checkout this script sits in

import numba  # noqa: E402

import dedup.signature as signature_module  # noqa: E402
from dedup.config import MinHashConfig, ShingleConfig  # noqa: E402
from dedup.signature import encode_batch, sign_batch, sign_encoded  # noqa: E402

NUM_PERM = 128
NGRAM = 5
SC = ShingleConfig(ngram=NGRAM)
MC = MinHashConfig(num_perm=NUM_PERM, seed=1)

_SYLLABLES = (
    "ta ri on en al ver mar co ste la in pro de ca tor ment ist ra lo ne sa ber ton ic um ex "
    "port gen val or chi dan mo per sis tan ul"
).split()
_FUNCTION = (
    "the of and to a in that for on said was is with he it as at by from his be have has but "
    "were are not they this had an which who their after would been will she its or more than "
    "one about two also we her last year up new out over into when could some there other"
).split()


def make_docs(n: int, seed: int = 0, words_per_doc: int = 600) -> list[str]:
    """``n`` seeded news-like documents of about ``words_per_doc`` words in paragraphs of sentences;
    odd ones use curly quotes, em/en dashes and ellipses, even ones their ASCII forms."""
    rng = np.random.default_rng(seed)
    syl = rng.integers(0, len(_SYLLABLES), size=(30_000, 4))
    nsyl = rng.integers(1, 5, size=30_000)
    content = sorted(
        {"".join(_SYLLABLES[k] for k in row[:m]) for row, m in zip(syl.tolist(), nsyl.tolist(), strict=False)}
    )
    vocab = np.array(_FUNCTION + content, dtype=object)
    cap_vocab = np.array([w.capitalize() for w in vocab], dtype=object)
    numbers = np.array([str(i) for i in range(2030)], dtype=object)
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05  # Zipf-like, function words most frequent
    cdf = np.cumsum(weights) / weights.sum()
    docs = []
    for d in range(n):
        curly = d % 2 == 1
        lq, rq, apos = ("\u201c", "\u201d", "\u2019") if curly else ('"', '"', "'")
        dash = (" \u2014 ", " \u2013 ")[d % 4 == 1] if curly else " - "
        dots = "\u2026" if curly else "..."
        total = int(rng.integers(words_per_doc - 60, words_per_doc + 60))
        idx = np.minimum(np.searchsorted(cdf, rng.random(total)), len(vocab) - 1)
        e = rng.random(total)
        words = vocab[idx]
        cap = e >= 0.985
        words[cap] = cap_vocab[idx[cap]]
        num = e < 0.01
        words[num] = numbers[rng.integers(0, len(numbers), size=int(num.sum()))]
        words[(e >= 0.01) & (e < 0.07)] += ","
        words[(e >= 0.07) & (e < 0.085)] += apos + "s"
        # Sentences of 10-29 words: capitalised first word; ended by ".", a dash aside or a quotation.
        ends = np.cumsum(rng.integers(10, 30, size=total // 10 + 2))
        ends = ends[ends < total - 1]
        firsts = np.concatenate(([0], ends + 1))
        words[firsts] = cap_vocab[idx[firsts]]
        last = np.concatenate((ends, [total - 1]))
        kind = rng.random(last.size)
        quoted = kind < 0.15
        words[firsts[quoted]] = lq + words[firsts[quoted]]
        words[last[quoted]] += "," + rq + " said " + cap_vocab[idx[last[quoted] - 1]] + "."
        aside = (kind >= 0.15) & (kind < 0.22)
        words[last[aside]] += dash + "it said" + dots
        words[last[kind >= 0.22]] += "."
        seps = np.full(total, " ", dtype=object)
        seps[last[3::4]] = "\n\n"  # paragraphs of four sentences
        seps[-1] = ""
        docs.append("".join((words + seps).tolist()))
    return docs


def word_shingles(text: str, ngram: int = NGRAM) -> set[str]:
    """Hand-written shingles: lower-cased whitespace words joined ``ngram`` at a time."""
    words = text.lower().split()
    if len(words) < ngram:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)}


def timed(fn: Callable[[], object], repeats: int) -> list[tuple[float, float]]:
    """``(wall, cpu)`` seconds of each run; cpu is the whole process's CPU time (all threads)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        fn()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20_000, help="documents in the batch")
    p.add_argument("--repeats", type=int, default=5, help="timed runs per measurement (median reported)")
    p.add_argument("--peer-n", type=int, default=1_000, help="documents given to datasketch and rensa")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-peers", action="store_true", help="skip datasketch and rensa")
    p.add_argument("--chunk", type=int, default=None, help="override dedup.signature.CHUNK_DOCS (pipelining)")
    args = p.parse_args(argv)
    if args.chunk is not None:
        signature_module.CHUNK_DOCS = args.chunk

    t0 = time.perf_counter()
    docs = make_docs(args.n, args.seed)
    n_words = sum(len(d.split()) for d in docs[:200]) / min(200, len(docs))
    n_bytes = sum(len(d.encode()) for d in docs[:200]) / min(200, len(docs))
    print(
        f"{args.n} docs, ~{n_words:.0f} words / ~{n_bytes:.0f} UTF-8 bytes each, generated in "
        f"{time.perf_counter() - t0:.1f}s; numba {numba.__version__}, {numba.config.NUMBA_NUM_THREADS} "  # type: ignore[attr-defined]
        f"threads available; num_perm={NUM_PERM}, ngram={NGRAM}, repeats={args.repeats}"
    )

    buf, starts = encode_batch(docs)
    sign_encoded(buf[: int(starts[2])], starts[:3], SC, MC)  # compile / load the cache
    rows: list[tuple[str, int, list[tuple[float, float]]]] = []

    rows.append(("encode (Python)", args.n, timed(lambda: encode_batch(docs), args.repeats)))
    rows.append(
        (
            "kernel 1 thread",
            args.n,
            timed(lambda: sign_encoded(buf, starts, SC, MC, num_threads=1), args.repeats),
        )
    )
    rows.append(
        (
            "kernel 2 threads",
            args.n,
            timed(lambda: sign_encoded(buf, starts, SC, MC, num_threads=2), args.repeats),
        )
    )
    rows.append(
        ("total 2 threads", args.n, timed(lambda: sign_batch(docs, SC, MC, num_threads=2), args.repeats))
    )
    rows.append(
        ("total 1 thread", args.n, timed(lambda: sign_batch(docs, SC, MC, num_threads=1), args.repeats))
    )

    if not args.no_peers:
        import datasketch

        sub = docs[: args.peer_n]
        peer_repeats = max(3, args.repeats // 2)

        def run_datasketch() -> None:
            for text in sub:
                m = datasketch.MinHash(num_perm=NUM_PERM, seed=1)
                m.update_batch([s.encode("utf-8") for s in word_shingles(text)])

        prebuilt = [[s.encode("utf-8") for s in word_shingles(text)] for text in sub]

        def run_datasketch_only() -> None:
            for grams in prebuilt:
                m = datasketch.MinHash(num_perm=NUM_PERM, seed=1)
                m.update_batch(grams)

        rows.append(("datasketch update_batch", len(sub), timed(run_datasketch, peer_repeats)))
        rows.append(("datasketch update_batch only", len(sub), timed(run_datasketch_only, peer_repeats)))
        try:
            from rensa import RMinHash
        except ImportError:
            print("rensa not installed: skipped")
        else:

            def run_rensa() -> None:
                for text in sub:
                    m = RMinHash(num_perm=NUM_PERM, seed=1)
                    m.update(list(word_shingles(text)))
                    m.digest()

            rows.append(("rensa RMinHash", len(sub), timed(run_rensa, peer_repeats)))

    rate = {}
    cpu_rate = {}
    print(
        f"\n{'measurement':30s} {'docs':>6s} {'median docs/s':>14s} {'min-max docs/s':>20s} {'docs/CPU-s':>11s}"
    )
    for name, n, times in rows:
        walls = [w for w, _ in times]
        med = n / statistics.median(walls)
        rate[name] = med
        cpu_rate[name] = per_cpu = n / statistics.median([c for _, c in times])
        print(
            f"{name:30s} {n:6d} {med:14,.0f} {n / max(walls):>9,.0f}-{n / min(walls):<10,.0f} {per_cpu:11,.0f}"
        )
    print("(docs/CPU-s: documents per second of CPU time summed over threads -- the rate per core this code")
    print(
        " would reach on an idle machine; wall-clock docs/s fall below it when other processes share the cores)"
    )
    total = rate["total 2 threads"]
    print()
    for name in ("datasketch update_batch", "datasketch update_batch only", "rensa RMinHash"):
        if name in rate:
            print(
                f"total 2 threads / {name:29s} {total / rate[name]:7.1f}x wall, "
                f"{cpu_rate['total 2 threads'] / cpu_rate[name]:7.1f}x per CPU-second"
            )
    k1, k2 = rate["kernel 1 thread"], rate["kernel 2 threads"]
    print(f"kernel scaling 2 threads / 1 thread            {k2 / k1:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
