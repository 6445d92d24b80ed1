"""The workload behind the instruction counts of docs/PERFORMANCE.md: clean pages, after warm-up.

usage: PYTHONHASHSEED=0 valgrind --tool=callgrind --toggle-collect=CPyPy_clean___clean \\
           --callgrind-out-file=cg.out python benchmarks/clean_instructions.py cold|stream [--synth DOCS]
       (with ``--text``, the calls are of ``clean_text``, what clustering runs: toggle
       ``CPyPy_clean___clean_text`` instead)

Run it against the compiled cleaner (``pip install --target DIR .`` and ``PYTHONPATH=DIR``): the
toggle names the compiled ``clean``. Only calls of ``clean`` are counted; the warm-up rounds go
through ``_clean_text`` directly, so imports, pattern building and first-use costs are left out.
Divide valgrind's "Collected" by the number this prints.

- ``cold``: the 26 plain-text fixture pages up to p25, each cleaned as a page of a site never seen
  (``forget_lines()`` before each), 2 rounds of warm-up and 4 measured.
- ``stream``: documents 300 to 800 of ``--synth`` (``python benchmarks/synth.py --n 10000 --seed 0
  --out DIR``, then ``DIR/docs.jsonl.gz``), cleaned one after the other with the line memo warm
  from the first 300, as in a crawl.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import sys
from pathlib import Path

import data  # benchmarks/data.py, beside this script

from dedup.clean import clean, clean_text, forget_lines
from dedup.config import CleanConfig


def cold_pages() -> list[str]:
    """The plain-text seeds and invented pages up to p25 (later ones came after the first figures)."""
    out = []
    for name in ("seeds", "pages"):
        for doc, text in data.load_clean_fixture(name):
            m = re.match(r"p(\d+)_", doc)
            if not text.lstrip().startswith("<") and (m is None or int(m.group(1)) <= 25):
                out.append(text)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("cold", "stream"))
    ap.add_argument("--synth", type=Path, help="docs.jsonl(.gz) of benchmarks/synth.py (stream mode)")
    ap.add_argument("--text", action="store_true", help="measure clean_text (the text alone) instead of clean")
    args = ap.parse_args()
    internal = importlib.import_module("dedup.clean")._clean_text
    cfg = CleanConfig()
    measured = clean_text if args.text else clean
    if args.mode == "cold":
        pages = cold_pages()
        for _ in range(2):
            for text in pages:
                forget_lines()
                internal(text, cfg, "text", True)
        for _ in range(4):
            for text in pages:
                forget_lines()
                measured(text)
        print(f"measured {4 * len(pages)} page cleanings ({len(pages)} pages x 4)")
        return 0
    if args.synth is None:
        ap.error("stream needs --synth")
    opener = gzip.open if args.synth.suffix == ".gz" else open
    docs = []
    with opener(args.synth, "rt", encoding="utf-8") as fh:
        for line in fh:
            docs.append(json.loads(line)["text"])
            if len(docs) == 800:
                break
    for text in docs[:300]:
        internal(text, cfg, "text", True)
    for text in docs[300:]:
        measured(text)
    print(f"measured {len(docs) - 300} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
