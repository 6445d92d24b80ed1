"""Where a run leaves a core idle: phases of ``Deduplicator.run`` against the scheduler's trace.

usage (Linux, perf installed, both as one command):

    perf record -e sched:sched_switch -a -k CLOCK_MONOTONIC -o /tmp/sw.data -- \\
        python benchmarks/idle_trace.py run --n 10000 --workers 2 --repeats 4 > /tmp/marks.txt
    perf script -i /tmp/sw.data > /tmp/sw.txt
    python benchmarks/idle_trace.py report /tmp/marks.txt /tmp/sw.txt

``run`` cleans and clusters the synthetic corpus (``benchmarks/synth.py``, generated and warmed up
on 600 documents before the first mark) and prints, per run, the CLOCK_MONOTONIC time of: the start,
the first chunk taken back from a worker, the last one, the start of the clustering after the last
document is cleaned, and the end. ``report`` adds up, per phase, the time each CPU ran its idle task
(``next_pid=0`` in the trace): core-milliseconds lost, of a machine whose every core could have
worked. A run's idle total is also twice its wall time less the CPU time of all its processes.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import re
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
if importlib.util.find_spec("dedup") is None:  # the installed dedup when there is one (compiled)
    sys.path.insert(0, str(BENCH_DIR.parent))

PHASES = [("start", "first_take"), ("first_take", "last_take"), ("last_take", "tail"), ("tail", "end")]


def run(args: argparse.Namespace) -> None:
    import data

    import dedup.pipeline as pipeline
    from dedup.config import DedupConfig

    docs = [(doc_id, text) for doc_id, text, _ in data.synth_generate(args.n, args.seed)]
    config = DedupConfig(workers=args.workers)
    list(pipeline.Deduplicator(config).run(docs[:600]))  # numba's kernels loaded, imports done
    marks: dict[str, float] = {}
    take, report = pipeline.Deduplicator._take, pipeline.Deduplicator._cluster_and_report

    def timed_take(self, *a, **k):  # type: ignore[no-untyped-def]
        marks.setdefault("first_take", time.monotonic())
        take(self, *a, **k)
        marks["last_take"] = time.monotonic()

    def timed_report(self, *a, **k):  # type: ignore[no-untyped-def]
        marks["tail"] = time.monotonic()
        yield from report(self, *a, **k)

    pipeline.Deduplicator._take = timed_take  # type: ignore[method-assign]
    pipeline.Deduplicator._cluster_and_report = timed_report  # type: ignore[method-assign]
    for _ in range(args.repeats):
        marks.clear()
        marks["start"] = time.monotonic()
        list(pipeline.Deduplicator(config).run(docs))
        marks["end"] = time.monotonic()
        print("MARKS " + " ".join(f"{k}={v:.6f}" for k, v in marks.items()), flush=True)
        time.sleep(0.2)


def report(args: argparse.Namespace) -> None:
    runs = []
    for line in Path(args.marks).read_text().splitlines():
        if line.startswith("MARKS "):
            runs.append({k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])})
    idle: dict[int, list[tuple[float, float]]] = collections.defaultdict(list)
    since: dict[int, float] = {}
    switch = re.compile(r"\[(\d+)\]\s+([\d.]+): sched:sched_switch: .*prev_pid=(\d+) .*==> .*next_pid=(\d+)")
    for line in Path(args.trace).read_text().splitlines():
        m = switch.search(line)
        if m is None:
            continue
        cpu, t, prev, nxt = int(m[1]), float(m[2]), int(m[3]), int(m[4])
        if nxt == 0:
            since[cpu] = t
        elif prev == 0 and cpu in since:
            idle[cpu].append((since.pop(cpu), t))

    def idle_ms(a: float, b: float) -> float:
        return 1000 * sum(max(0.0, min(y, b) - max(x, a)) for spans in idle.values() for x, y in spans)

    for marks in runs:
        parts = [f"{a}-{b} {idle_ms(marks[a], marks[b]):.0f}/{1000 * (marks[b] - marks[a]):.0f}"
                 for a, b in PHASES if a in marks and b in marks]
        print(f"wall {1000 * (marks['end'] - marks['start']):.0f} ms; idle core-ms / phase ms: " + "; ".join(parts)
              + f" | total idle {idle_ms(marks['start'], marks['end']):.0f} core-ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time the phases of some runs")
    r.add_argument("--n", type=int, default=10_000)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--repeats", type=int, default=4)
    p = sub.add_parser("report", help="idle core time per phase, from the marks and `perf script` output")
    p.add_argument("marks")
    p.add_argument("trace")
    args = ap.parse_args()
    if args.command == "run":
        run(args)
    else:
        report(args)


if __name__ == "__main__":
    main()
