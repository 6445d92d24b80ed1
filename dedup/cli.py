"""Command line: turns arguments into a config and a library call, and library errors into messages.

Exit status: 0 all inputs used; 1 some inputs were skipped (each named on stderr); 2 usage or
configuration error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from .clean.repair import repair
from .config import ClusterConfig, DedupConfig, MinHashConfig, ShingleConfig
from .document import Document
from .errors import DedupError
from .io import BadRecord, Fields, read_inputs
from .parallel import clean_all, clean_texts, make_pool, own_process_gc

try:
    from . import __version__
except ImportError:
    # ``dedup`` itself is then a bare folder that an uninstall left in site-packages (numba cache
    # files pip did not remove, see dedup/_jit.py): it imports as an empty namespace package ahead
    # of an editable install, whose modules still load. Name the folder instead of a traceback.
    sys.exit("dedup: cannot start: the folder "
             + ", ".join([folder for folder in getattr(sys.modules.get("dedup"), "__path__", None) or []
                          if not (Path(folder) / "__init__.py").exists()] or ["dedup"])
             + " holds no dedup code (an earlier install left it behind) and hides the installed"
             " dedup; delete that folder and run again")

_UNSAFE_NAME = re.compile(r"[\\/\x00-\x1f:*?\"<>|]")


def _err(message: str) -> None:
    print(f"dedup: {message}", file=sys.stderr)


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or folders of .txt/.html pages, or .jsonl[.gz] files ('-' reads JSONL from stdin)")
    p.add_argument("--id-field", default="id", help="JSONL field holding the document id (default: id)")
    p.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    p.add_argument("--url-field", default="url", help="JSONL field holding the URL (default: url)")
    p.add_argument("--source-field", default="source", help="JSONL field naming the source (default: source)")
    p.add_argument("--date-field", default="date", help="JSONL field holding an ISO date (default: date)")
    p.add_argument("--encoding", default=None,
                   help="decode .txt/.html files with this encoding (default: UTF-8, else the page's own "
                        "declaration, else Windows-1252)")
    p.add_argument("--workers", type=int, default=1, help="processes for cleaning (default: 1)")


def _fields(args: argparse.Namespace) -> Fields:
    return Fields(id=args.id_field, text=args.text_field, url=args.url_field,
                  source=args.source_field, date=args.date_field)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dedup", description="Clean scraped news pages and cluster their near-duplicates.")
    parser.add_argument("--version", action="version", version=f"dedup {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    pc = sub.add_parser("clean", help="strip boilerplate and repair text; one cleaned .txt per page")
    _add_input_args(pc)
    pc.add_argument("--out", required=True, type=Path, help="folder for the cleaned pages (DIR/<id>.txt)")
    pc.add_argument("--explain", action="store_true", help="print what was removed or repaired, and why")
    pc.add_argument("--report", type=Path, help="write the explanation of every page as JSONL to this file")
    pc.add_argument("--html", choices=("auto", "yes", "no"), default="auto",
                    help="treat input as HTML: auto-detect (default), always, never")
    pc.add_argument("--no-offtopic", action="store_true", help="keep lines that do not cohere with the page")

    pk = sub.add_parser("cluster", help="cluster near-duplicate documents; one JSON record per document")
    _add_input_args(pk)
    pk.add_argument("--out", required=True, help="the cluster records, JSONL ('-' for stdout)")
    pk.add_argument("--dedup-out", type=Path,
                    help="also write the deduplicated corpus: each cluster's kept copy as {id, text} JSONL")
    pk.add_argument("--config", type=Path, help="a JSON config (as written by --dump-config); flags override it")
    pk.add_argument("--dump-config", action="store_true", help="print the effective config as JSON and exit")
    pk.add_argument("--no-clean", action="store_true", help="match the text as it is (already clean corpora)")
    pk.add_argument("--threshold", type=float, help="minimum Jaccard similarity of duplicates (default 0.5)")
    pk.add_argument("--containment", type=float,
                    help="minimum containment of the smaller copy in the larger (default 0.8)")
    pk.add_argument("--ngram", type=int, help="words per shingle (default 5)")
    pk.add_argument("--num-perm", type=int, help="MinHash permutations (default 128)")
    pk.add_argument("--seed", type=int, help="hash seed (default 1)")
    pk.add_argument("--batch-size", type=int, help="documents per batch (default 10000; never changes results)")
    pk.add_argument("--representative", choices=("complete", "earliest"),
                    help="copy to keep: the most complete clean copy (default) or the earliest dated one")
    pk.add_argument("--prefer-source", action="append", default=None, metavar="SOURCE",
                    help="prefer this source's copy as representative (repeat, most preferred first)")
    pk.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                    help="progress on stderr: when stderr is a terminal (default), always, never")

    pr = sub.add_parser("repair", help="repair mojibake and odd characters only: stdin (or files) to stdout")
    pr.add_argument("paths", nargs="*", metavar="FILE", help="files to repair (default: stdin)")
    return parser


# -- clean ---------------------------------------------------------------------------------------------

def _safe_name(doc_id: str) -> str:
    name = _UNSAFE_NAME.sub("_", doc_id).strip(". ") or "_"
    return name[:200]


def _write_clean(out: Path, doc: Document, text: str) -> None:
    (out / f"{_safe_name(doc.id)}.txt").write_text(text + ("\n" if text else ""), encoding="utf-8")


def cmd_clean(args: argparse.Namespace) -> int:
    config = DedupConfig().clean
    html = {"auto": None, "yes": True, "no": False}[args.html]
    config = replace(config, html=html, offtopic=not args.no_offtopic)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DedupError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    report: IO[str] | None = _open_out(args.report) if args.report else None
    skipped = written = 0
    used_names: dict[str, str] = {}
    pool = make_pool(args.workers)
    try:
        batch: list[Document] = []

        def flush() -> None:
            nonlocal written
            texts = [d.text for d in batch]
            if not args.explain and report is None:  # the text alone: no explanation to build or send
                for doc, text in zip(batch, clean_texts(texts, config, pool), strict=True):
                    _write_clean(args.out, doc, text)
                    written += 1
                batch.clear()
                return
            for doc, cleaned in zip(batch, clean_all(texts, config, pool), strict=True):
                _write_clean(args.out, doc, cleaned.text)
                written += 1
                if args.explain:
                    print(f"== {doc.id} ({len(cleaned.lines)} lines kept, {len(cleaned.removed)} removed, "
                          f"{len(cleaned.repairs)} repaired)")
                    print(cleaned.explain())
                if report is not None:
                    report.write(json.dumps({"id": doc.id, **cleaned.to_dict()}, ensure_ascii=False) + "\n")
            batch.clear()

        for item in read_inputs(args.paths, _fields(args), args.encoding):
            if isinstance(item, BadRecord):
                _err(f"skipped {item.source}: {item.reason}")
                skipped += 1
                continue
            name = _safe_name(item.id)
            if name in used_names:
                _err(f"skipped {item.meta.get('source_file', item.id)}: duplicate id {item.id!r} "
                     f"(already written from {used_names[name]})")
                skipped += 1
                continue
            used_names[name] = str(item.meta.get("source_file", item.id))
            batch.append(item)
            if len(batch) >= 256:
                flush()
        flush()
    finally:
        if pool is not None:
            pool.shutdown()
        if report is not None:
            report.close()
    print(f"dedup clean: {written} pages written to {args.out}, {skipped} skipped", file=sys.stderr)
    return 1 if skipped else 0


# -- cluster -------------------------------------------------------------------------------------------

def _cluster_config(args: argparse.Namespace) -> DedupConfig:
    if args.config:
        try:
            config = DedupConfig.from_dict(json.loads(args.config.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise DedupError(f"cannot read config {args.config}: {exc}") from None
    else:
        config = DedupConfig()
    if args.no_clean:
        config = replace(config, clean=replace(config.clean, enabled=False))
    if args.threshold is not None:
        # The banding is tuned a little below the verify threshold so LSH misses (almost) nothing.
        verify_floor = max(0.05, round(args.threshold - 0.1, 4))
        config = replace(config, verify=replace(config.verify, jaccard=args.threshold,
                                                containment_min_jaccard=verify_floor),
                         lsh=replace(config.lsh, threshold=max(0.05, min(config.lsh.threshold,
                                                                       args.threshold - 0.1))))
    if args.containment is not None:
        config = replace(config, verify=replace(config.verify, containment=args.containment))
    if args.ngram is not None:
        config = replace(config, shingle=ShingleConfig(ngram=args.ngram))
    if args.num_perm is not None or args.seed is not None:
        config = replace(config, minhash=MinHashConfig(
            num_perm=args.num_perm if args.num_perm is not None else config.minhash.num_perm,
            seed=args.seed if args.seed is not None else config.minhash.seed))
    if args.batch_size is not None:
        config = replace(config, batch_size=args.batch_size)
    if args.representative is not None or args.prefer_source:
        config = replace(config, cluster=ClusterConfig(
            representative=args.representative or config.cluster.representative,
            prefer_sources=tuple(args.prefer_source or config.cluster.prefer_sources)))
    return replace(config, workers=args.workers)


class _Progress:
    """A one-line progress report on stderr, redrawn at most a few times a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self.start = time.perf_counter()
        self._last = 0.0

    def __call__(self, n: int) -> None:
        self.count += n
        now = time.perf_counter()
        if self.enabled and now - self._last > 0.25:
            self._last = now
            rate = self.count / max(now - self.start, 1e-9)
            print(f"\rdedup: {self.count:,} documents read ({rate:,.0f}/s)", end="", file=sys.stderr)

    def done(self, phase: str) -> None:
        if self.enabled:
            print(f"\rdedup: {self.count:,} documents read; {phase}" + " " * 10, file=sys.stderr)


def _open_out(path: str) -> IO[str]:
    """An output file for writing (``--out``, ``--dedup-out``, ``--report``), its folder made if need
    be, as ``dedup clean --out`` makes its own; an error naming it if it cannot be written."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise DedupError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_cluster(args: argparse.Namespace) -> int:
    config = _cluster_config(args)
    if args.dump_config:
        print(json.dumps(config.to_dict(), indent=2))
        return 0
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    progress = _Progress(show)
    # Imported here: the clustering half loads numba, which `dedup clean` and `dedup repair` do not
    # need (about a second of start-up).
    from .pipeline import Deduplicator

    dedup = Deduplicator(config, progress=progress, keep_text=args.dedup_out is not None)
    out: IO[str] = sys.stdout if args.out == "-" else _open_out(args.out)
    try:
        corpus: IO[str] | None = _open_out(args.dedup_out) if args.dedup_out else None
    except DedupError:
        if out is not sys.stdout:
            out.close()
        raise
    try:
        records = dedup.run(read_inputs(args.paths, _fields(args), args.encoding))
        for index, record in enumerate(records):
            if index == 0:
                progress.done("clustered")
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
            if corpus is not None and record.representative:
                text = dedup.clean_text_of(index)
                corpus.write(json.dumps({"id": record.id, "text": text}, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
        if corpus is not None:
            corpus.close()
    print(dedup.summary.render(), file=sys.stderr)
    return 1 if dedup.summary.skipped else 0


# -- repair --------------------------------------------------------------------------------------------

def cmd_repair(args: argparse.Namespace) -> int:
    if not args.paths:
        sys.stdout.write(repair(sys.stdin.read()))
        return 0
    status = 0
    for path in args.paths:
        try:
            sys.stdout.write(repair(Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            _err(f"skipped {path}: {exc}")
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        parser.error("--workers must be at least 1")
    try:
        if args.command == "clean":
            return cmd_clean(args)
        if args.command == "cluster":
            return cmd_cluster(args)
        return cmd_repair(args)
    except DedupError as exc:
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    """The ``dedup`` command and ``python -m dedup``: :func:`main` in a process of dedup's own, whose
    collector is tuned for cleaning (see :func:`~dedup.parallel.own_process_gc`)."""
    own_process_gc()
    sys.exit(main())


if __name__ == "__main__":
    run()
