"""Two builds of dedup end to end, alternating: which one a run costs less with, on this noisy machine.

usage: python benchmarks/ab_e2e.py DIR_A DIR_B [--rounds 3] [--repeats 3] [--n 10000] [--workers 2]

``DIR_A`` and ``DIR_B`` are installs of dedup (``pip install --no-deps --target DIR .`` of each
commit; their ``dedup`` package is imported through ``PYTHONPATH=DIR``). Each round runs one fresh
process per build, A then B: it generates the synthetic corpus (``benchmarks/synth.py``), warms up
on 600 documents (numba's kernels loaded), then times ``--repeats`` runs of ``Deduplicator.run``
over the list of ``(id, text)`` pairs, each with the line memo emptied first (with ``--workers 1``
the cleaning runs in that process, and its memo would otherwise be warm from the run before): the
wall time, and the CPU seconds of the main process and of
the cleaning workers (``getrusage``). Printed per build, the medians over all its runs: wall, main,
workers, their total, and the idle core time (twice the wall less the total, on 2 cores).

A change that moves a run's CPU by a few percent is within what this shared machine drifts by
between two full benchmarks (docs/PERFORMANCE.md): builds measured alternately, minutes apart, see
the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def child(n: int, workers: int, repeats: int) -> None:
    """One build's runs, as a JSON line: the dedup it imported, then per run (wall, main, workers)."""
    sys.path.insert(0, str(BENCH_DIR))
    import data
    from e2e_cpu import _cpu  # (this process, its children)

    import dedup
    from dedup.clean import forget_lines
    from dedup.config import DedupConfig
    from dedup.pipeline import Deduplicator

    docs = [(doc_id, text) for doc_id, text, _ in data.synth_generate(n, 0)]
    list(Deduplicator(DedupConfig(workers=workers)).run(docs[:600]))
    runs = []
    for _ in range(repeats):
        forget_lines()  # as e2e_cpu.py does (see above)
        main0, kids0 = _cpu()
        t = time.perf_counter()
        list(Deduplicator(DedupConfig(workers=workers)).run(docs))
        wall = time.perf_counter() - t
        main1, kids1 = _cpu()
        runs.append((wall, main1 - main0, kids1 - kids0))
    print(json.dumps({"dedup": dedup.__file__, "runs": runs}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builds", nargs="*", type=Path, metavar="DIR", help="the two installs, A and B")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.n, args.workers, args.repeats)
        return 0
    if len(args.builds) != 2:
        ap.error("give two installs, DIR_A and DIR_B")
    runs: dict[Path, list[list[float]]] = {b: [] for b in args.builds}
    for _ in range(args.rounds):
        for build in args.builds:
            env = {**os.environ, "PYTHONPATH": str(build.resolve())}
            out = subprocess.run([sys.executable, __file__, "--child", "--n", str(args.n),
                                  "--workers", str(args.workers), "--repeats", str(args.repeats)],
                                 env=env, cwd="/", capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            if not got["dedup"].startswith(str(build.resolve())):
                raise SystemExit(f"{build}: imported {got['dedup']}, not the build")
            runs[build] += got["runs"]
    for build, rs in runs.items():
        wall = statistics.median(r[0] for r in rs)
        main_cpu = statistics.median(r[1] for r in rs)
        workers = statistics.median(r[2] for r in rs)
        total = statistics.median(r[1] + r[2] for r in rs)
        idle = statistics.median(2 * r[0] - r[1] - r[2] for r in rs)
        print(f"{build}: wall {wall:.3f} s ({args.n / wall:,.0f} docs/s), main {main_cpu:.3f}, workers {workers:.3f}, "
              f"total {total:.3f} CPU-s, idle {idle:.3f} core-s; {len(rs)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
