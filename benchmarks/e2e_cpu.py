"""Where the end-to-end time goes: wall time and CPU time of the main process and of the cleaning workers.

usage: python benchmarks/e2e_cpu.py [--n 10000] [--seed 0] [--workers 1 2] [--repeats 2] [--raw-copies SHARE]

Runs ``Deduplicator.run`` over the synthetic corpus (``benchmarks/synth.py``, generated first, not
timed) after a warm-up on 300 documents (numba kernels loaded), and prints per run: the wall time,
docs/s, the CPU seconds of the main process (reading the input, signing, banding, verifying,
clustering; with one worker also the cleaning) and of the worker processes (cleaning, counted once
the pool has shut down), and, for comparison, the CPU seconds of cleaning the same documents in
this process. The gap between the workers' CPU and the in-process cleaning is what running in
other processes costs (moving the texts, and each worker meeting every site's template lines for
the first time).

``--raw-copies 0.3`` mixes in copies of documents already in the corpus (under ids of their own, at
places drawn with the seed), 0.3 times as many as there are documents: a crawl that fetched pages
twice. A copy is not cleaned again (see ``dedup.pipeline._Copies``).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import resource
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
if importlib.util.find_spec("dedup") is None:  # the installed dedup when there is one (compiled)
    sys.path.insert(0, str(BENCH_DIR.parent))

import data  # noqa: E402

from dedup import CleanConfig, DedupConfig  # noqa: E402
from dedup.clean import COMPILED, clean, forget_lines  # noqa: E402
from dedup.pipeline import Deduplicator  # noqa: E402


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--raw-copies", type=float, default=0.0, metavar="SHARE",
                    help="mix in SHARE x n copies of documents already in the corpus (default 0)")
    args = ap.parse_args()

    docs = [(doc_id, text) for doc_id, text, _ in data.synth_generate(args.n, args.seed)]
    copies = int(len(docs) * args.raw_copies)
    if copies:
        rng = random.Random(args.seed)
        originals = list(docs)
        for k in range(copies):
            doc_id, text = rng.choice(originals)
            docs.insert(rng.randrange(len(docs) + 1), (f"{doc_id}-copy{k}", text))
    print(f"{len(docs)} synthetic documents (seed {args.seed}; {copies} of them copies of others); "
          f"cleaner {'compiled' if COMPILED else 'pure Python'}")
    config = CleanConfig()
    forget_lines()
    for _, text in docs[:300]:
        clean(text, config)
    t0 = time.process_time()
    for _, text in docs:
        clean(text, config)
    in_process = time.process_time() - t0
    print(f"cleaning alone, in this process: {in_process:.2f} CPU-s ({len(docs) / in_process:,.0f} docs/s)")
    for workers in args.workers:
        list(Deduplicator(DedupConfig(workers=workers)).run(docs[:300]))  # warm-up: numba, imports
        for _ in range(args.repeats):
            forget_lines()
            c0 = _cpu()
            w0 = time.perf_counter()
            for _record in Deduplicator(DedupConfig(workers=workers)).run(docs):
                pass
            wall = time.perf_counter() - w0
            c1 = _cpu()
            print(f"workers={workers}: wall {wall:.2f} s, {len(docs) / wall:,.0f} docs/s; "
                  f"CPU main {c1[0] - c0[0]:.2f} s, workers {c1[1] - c0[1]:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
