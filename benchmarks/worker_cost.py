"""What running the cleaning in dedup's workers costs beyond the cleaning itself.

usage: python benchmarks/worker_cost.py [--n 10000] [--seed 0] [--rounds 4] [--repeats 3]

Cleans the generated corpus (``benchmarks/synth.py``, made first, not timed) as ``(id, text)``
pairs, chunks of 200, three ways, the ways alternating round by round, and prints the median wall
time and CPU seconds of the cleaning processes (``getrusage`` of the children) for each:

- ``bare 2``: two children forked at once, each cleaning every other chunk with ``clean_text``
  and nothing else (the least two processes can do);
- ``bare seq``: the same two children one after the other (the two at once against this tells
  whether two cleaning processes slow each other down on this machine);
- ``cleaners 2``: :class:`dedup.parallel.Cleaners`, the pipeline's workers, fed as
  :meth:`dedup.pipeline.Deduplicator.run` feeds them a list (``submit_listed``), the main process
  doing nothing else (no signing): their gap to ``bare 2`` is what the workers cost beyond
  cleaning (forking, the pipes, copying the texts, writing the answers into the slots, exiting).

Needs ``fork`` (Linux).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import resource
import statistics
import sys
import time
from collections import deque
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
if importlib.util.find_spec("dedup") is None:  # the installed dedup when there is one (compiled)
    sys.path.insert(0, str(BENCH_DIR.parent))

import data  # noqa: E402

from dedup import parallel  # noqa: E402
from dedup.clean import COMPILED, clean_text  # noqa: E402
from dedup.config import CleanConfig  # noqa: E402

CHUNK = 200


def _children() -> tuple[float, int]:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_minflt


def _bare(docs: list[tuple[str, str]], chunks: list[list[int]], together: bool) -> None:
    def child(part: int) -> int:
        pid = os.fork()
        if pid == 0:  # what a worker does, and nothing else
            parallel.own_process_gc()
            for chunk in chunks[part::2]:
                for text in parallel.copy_texts(docs, chunk):
                    clean_text(text)
            os._exit(0)
        return pid

    if together:
        pids = [child(0), child(1)]
        for pid in pids:
            os.waitpid(pid, 0)
    else:
        for part in (0, 1):
            os.waitpid(child(part), 0)


def _cleaners(docs: list[tuple[str, str]], chunks: list[list[int]]) -> None:
    pool = parallel.Cleaners(2, CleanConfig(), documents=docs)
    pending: deque = deque()
    k = 0
    while k < len(chunks) or pending:
        while k < len(chunks) and pool.has_room():
            pending.append(pool.submit_listed(chunks[k]))
            k += 1
        ticket = pending.popleft()
        ticket.result()
        pool.release(ticket)
    pool.finish()
    pool.close()()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3, help="runs of each way per round")
    args = ap.parse_args()
    if not parallel.FORKS:
        print("needs fork", file=sys.stderr)
        return 1

    docs = [(doc_id, text) for doc_id, text, _ in data.synth_generate(args.n, args.seed)]
    chunks = [list(range(i, min(i + CHUNK, len(docs)))) for i in range(0, len(docs), CHUNK)]
    ways = {
        "bare 2": lambda: _bare(docs, chunks, True),
        "bare seq": lambda: _bare(docs, chunks, False),
        "cleaners 2": lambda: _cleaners(docs, chunks),
    }
    print(f"{len(docs)} synthetic documents (seed {args.seed}), chunks of {CHUNK}; cleaner "
          f"{'compiled' if COMPILED else 'pure Python'}; {args.rounds} rounds of {args.repeats} runs each")
    gc.freeze()  # as Cleaners does while it forks: the children's collections leave these alone
    got: dict[str, list[tuple[float, float, int]]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, run in ways.items():
            for _ in range(args.repeats):
                cpu0, faults0 = _children()
                t0 = time.perf_counter()
                run()
                wall = time.perf_counter() - t0
                cpu1, faults1 = _children()
                got[name].append((wall, cpu1 - cpu0, faults1 - faults0))
    for name, runs in got.items():
        walls, cpus, faults = zip(*runs, strict=True)
        print(f"{name:>10}: wall {statistics.median(walls):.3f} s, CPU {statistics.median(cpus):.3f} s "
              f"(min {min(cpus):.3f}, max {max(cpus):.3f}), page faults {int(statistics.median(faults)):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
