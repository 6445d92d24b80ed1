#!/usr/bin/env python3
"""One benchmark command: dedup against its peers, same corpora, same run.

    python benchmarks/run.py [--quick] [--size N] [--seed S] [--write-results] [--scale] [--shared DIR]

Sections (``--only`` picks some): ``reuters`` (recall/precision of the LSH+verify path against brute-force
ground truth), ``aeb`` (article extraction F1 on ScrapingHub's benchmark), ``clean`` (line F1 on the
seeds and invented pages, and cleaning speed), ``cluster`` (pair F1 and per-stage speed on the
syndication fixture and the synthetic corpus), ``signature`` (MinHash signing alone, after ``cluster``,
which makes its clean texts); ``--scale`` adds end-to-end runs at 10k/100k/1M generated documents, and
``--only scale`` runs them alone.

Every measured stage runs in its own freshly spawned process, which loads only that stage's input
(written to disk by the parent) and reports ``ru_maxrss``: peak memory is per stage, never the
leftover of an earlier one. Times are ``time.perf_counter`` medians over repeats (after one warm-up
call on a few documents, so compiled kernels are not timed compiling).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
# The installed dedup when there is one (a wheel install runs the compiled cleaner, an editable one
# this checkout), else this checkout; the report names which (see machine()).
if importlib.util.find_spec("dedup") is None:
    sys.path.insert(0, str(REPO_ROOT))

import data  # noqa: E402
import numpy as np  # noqa: E402

# ===================================================================================================
# Stage functions. Each runs inside a child process: ``fn(inputs: dict) -> result`` (result small
# and picklable). A missing dedup module raises ImportError, which the row reports as "n/a".
# ===================================================================================================


def _dedup_config(overrides: dict | None = None):
    from dedup.config import DedupConfig

    return DedupConfig.from_dict(overrides or {})


def _clean_config(html: bool | None):
    from dedup.config import CleanConfig

    return CleanConfig(html=html)


def _dedup_clean_one(args: tuple[str, bool | None]) -> str:
    from dedup.clean import clean, forget_lines

    text, html = args
    forget_lines()
    return clean(text, _clean_config(html)).text


def stage_clean(inp: dict) -> list[str]:
    """Clean ``inp["texts"]`` with ``inp["impl"]``; return the outputs of the first ``inp["keep"]``."""
    impl, texts = inp["impl"], inp["texts"]
    keep = inp.get("keep", len(texts))
    if impl == "raw":
        out = list(texts)
    elif impl in ("dedup", "dedup-stream"):
        from dedup.clean import clean, forget_lines

        cfg = _clean_config(inp.get("html"))
        if impl == "dedup":
            # Every page as if it were the first ever seen (the speed corpus cycles a few pages,
            # whose lines dedup would otherwise know from the first round).
            out = []
            for t in texts:
                forget_lines()
                out.append(clean(t, cfg).text)
        else:  # a stream of distinct pages: lines a site repeats are prepared once
            out = [clean(t, cfg).text for t in texts]
    elif impl == "dedup-2proc":
        from concurrent.futures import ProcessPoolExecutor

        import dedup.clean  # noqa: F401  (fail here, not in the workers, when it is missing)

        html = inp.get("html")
        chunk = max(1, len(texts) // 16)
        with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as pool:
            out = list(pool.map(_dedup_clean_one, [(t, html) for t in texts], chunksize=chunk))
    else:
        import peers

        fn = {"ftfy": peers.ftfy_text, "trafilatura": peers.trafilatura_text, "justext": peers.justext_text,
              "trafilatura-html": peers.trafilatura_html}[impl]
        out = [fn(t) for t in texts]
    return out[:keep]


def stage_sign(inp: dict) -> dict:
    texts = inp["texts"]
    impl = inp["impl"]
    if impl == "dedup":
        from dedup.signature import sign_batch

        cfg = _dedup_config(inp.get("config"))
        s = sign_batch(texts, cfg.shingle, cfg.minhash, num_threads=inp.get("threads", 1))
        if inp.get("out"):
            np.savez(inp["out"], sigs=s.sigs, hashes=s.hashes, offsets=s.offsets)
        return {"n": len(s.sigs), "shingles": int(s.offsets[-1])}
    import peers

    if impl == "datasketch":
        return {"n": len(peers.datasketch_signatures(texts))}
    if impl == "rensa":
        return {"n": len(peers.rensa_signatures(texts))}
    raise ValueError(impl)


def stage_band(inp: dict) -> dict:
    from dedup import band

    cfg = _dedup_config(inp.get("config"))
    sigs = np.load(inp["sigs"])["sigs"]
    bands, rows = band.lsh_params(cfg.lsh, cfg.minhash.num_perm)
    pairs = band.candidate_pairs(band.band_keys(sigs, bands, rows))
    if inp.get("out"):
        np.save(inp["out"], pairs)
    return {"pairs": int(len(pairs)), "bands": bands, "rows": rows}


def stage_verify(inp: dict) -> dict:
    from dedup import verify

    cfg = _dedup_config(inp.get("config"))
    z = np.load(inp["sigs"])
    hashes, offsets = z["hashes"], z["offsets"]
    pairs = np.load(inp["pairs"])
    jac, con = verify.similarities(hashes, offsets, pairs)
    if inp.get("out"):
        np.savez(inp["out"], jaccard=jac, containment=con)
    return {"accepted": int(verify.accept(jac, con, cfg.verify).sum())}


def stage_cluster(inp: dict) -> dict:
    import functools

    from dedup import cluster, verify

    cfg = _dedup_config(inp.get("config"))
    z = np.load(inp["sigs"])
    hashes, offsets = z["hashes"], z["offsets"]
    pairs = np.load(inp["pairs"])
    sims = np.load(inp["sims"])
    accepted = verify.accept(sims["jaccard"], sims["containment"], cfg.verify)
    result = cluster.assign(len(offsets) - 1, pairs, accepted,
                            functools.partial(verify.similarities, hashes, offsets),
                            np.diff(offsets).astype(np.float64), cfg.cluster, verify_cfg=cfg.verify)
    return {"duplicates": int((~result.is_rep).sum())}


def _records_summary(records) -> dict:
    return {"cluster": [r.cluster for r in records], "duplicate_of": [r.duplicate_of for r in records],
            "jaccard": [r.jaccard for r in records], "containment": [r.containment for r in records],
            "status": [r.status for r in records], "id": [r.id for r in records]}


def stage_e2e(inp: dict) -> dict:
    """dedup end to end (``Deduplicator.run``) over ``(id, text)`` documents."""
    from dedup.pipeline import Deduplicator

    cfg = _dedup_config(inp.get("config"))
    records = list(Deduplicator(cfg).run(inp["docs"]))
    return _records_summary(records)


def stage_datasketch(inp: dict) -> dict:
    import peers

    labels, pairs = peers.datasketch_pipeline(inp["docs"], inp["threshold"], fix=inp.get("fix", True),
                                              return_pairs=inp.get("return_pairs", False))
    return {"labels": labels, "pairs": pairs}


def stage_scale(inp: dict) -> dict:
    """Stream ``synth.generate(n)`` through dedup; time generation alone first, to subtract it."""
    from dedup.pipeline import Deduplicator

    n, seed = inp["n"], inp["seed"]
    t0 = time.perf_counter()
    for _ in data.synth_generate(n, seed):
        pass
    gen = time.perf_counter() - t0
    cfg = _dedup_config(inp.get("config"))
    t0 = time.perf_counter()
    dups = 0
    for rec in Deduplicator(cfg).run((d, t) for d, t, _ in data.synth_generate(n, seed)):
        dups += rec.duplicate_of is not None
    total = time.perf_counter() - t0
    return {"generate_s": gen, "total_s": total, "duplicates": dups}


STAGES: dict[str, Callable[[dict], Any]] = {
    "clean": stage_clean, "sign": stage_sign, "band": stage_band, "verify": stage_verify,
    "cluster": stage_cluster, "e2e": stage_e2e, "datasketch": stage_datasketch, "scale": stage_scale,
}


# ===================================================================================================
# The harness: one spawned process per measurement
# ===================================================================================================


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: KiB


def _status_mb(key: str) -> float | None:
    """``VmRSS`` / ``VmHWM`` of this process from /proc, in MB (None off Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return None


def _reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux >= 4.0, /proc/self/clear_refs "5").

    Needed because ``ru_maxrss`` keeps the high-water mark of the address space a process was forked
    from across ``exec``: a spawned child would otherwise report at least the parent's peak.
    """
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return _status_mb("VmHWM") is not None
    except OSError:
        return False


def _fresh_state() -> None:
    """Leave what a fresh process would have: dedup's memo of prepared lines empty (a repeat must
    not find the lines the previous one prepared)."""
    forget = getattr(sys.modules.get("dedup.clean"), "forget_lines", None)
    if forget is not None:
        forget()


def _child(conn, stage: str, payload_path: str, repeats: int) -> None:
    try:
        exact = _reset_peak()
        with open(payload_path, "rb") as fh:
            payload = pickle.load(fh)
        fn = STAGES[stage]
        if payload.get("warm") is not None:
            fn(payload["warm"])
        inp = payload["main"]
        if exact:
            load_peak = _status_mb("VmHWM") or 0.0
            _reset_peak()
            base = _status_mb("VmRSS") or 0.0
        else:
            load_peak = base = _maxrss_mb(resource.RUSAGE_SELF)
        times: list[float] = []
        result = None
        for _ in range(repeats):
            result = None
            _fresh_state()
            t0 = time.perf_counter()
            result = fn(inp)
            times.append(time.perf_counter() - t0)
        peak = max(load_peak, _status_mb("VmHWM") or 0.0) if exact else _maxrss_mb(resource.RUSAGE_SELF)
        stage_peak = (_status_mb("VmHWM") or 0.0) if exact else peak
        conn.send(("ok", times, base, peak, stage_peak, _maxrss_mb(resource.RUSAGE_CHILDREN), result))
    except ImportError as exc:
        conn.send(("missing", f"{exc}"))
    except BaseException as exc:  # noqa: BLE001  (reported in the row, the run goes on)
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"))
    finally:
        conn.close()


@dataclass
class Measure:
    status: str                       # ok | missing | error | skipped
    times: list[float] = field(default_factory=list)
    base_mb: float = 0.0               # RSS with the input loaded, after the warm-up
    peak_mb: float = 0.0               # peak RSS of the whole child (loading included)
    stage_peak_mb: float = 0.0         # peak RSS while the timed stage ran
    children_mb: float = 0.0
    result: Any = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def seconds(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")


def _merged(measures: list[Measure]) -> Measure:
    """One measure of the same stage run in several batches (each its own process): every batch's
    times, the memory of the batch whose stage rose most above its baseline (and the largest peaks),
    the first batch's result."""
    rose = max(measures, key=lambda m: m.stage_peak_mb - m.base_mb)
    return Measure("ok", [t for m in measures for t in m.times], rose.base_mb, max(m.peak_mb for m in measures),
                   rose.stage_peak_mb, max(m.children_mb for m in measures), measures[0].result)


class Harness:
    def __init__(self, workdir: Path, verbose: bool = True) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.verbose = verbose
        self._k = 0
        self.ctx = mp.get_context("spawn")

    def path(self, name: str) -> str:
        return str(self.workdir / name)

    def run(self, stage: str, inp: dict, *, warm: dict | None = None, repeats: int = 1,
            label: str = "", timeout: float = 7200) -> Measure:
        self._k += 1
        payload_path = self.workdir / f"payload-{self._k}.pkl"
        with open(payload_path, "wb") as fh:
            pickle.dump({"main": inp, "warm": warm}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        parent, child = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_child, args=(child, stage, str(payload_path), repeats))
        t0 = time.perf_counter()
        proc.start()
        child.close()
        msg = None
        try:
            if parent.poll(timeout):
                msg = parent.recv()
        except EOFError:
            msg = None
        proc.join(30)
        if proc.is_alive():
            proc.kill()
            proc.join()
        payload_path.unlink(missing_ok=True)
        wall = time.perf_counter() - t0
        if msg is None:
            m = Measure("error", message=f"child died (exit code {proc.exitcode})")
        elif msg[0] == "ok":
            m = Measure("ok", msg[1], msg[2], msg[3], msg[4], msg[5], msg[6])
        elif msg[0] == "missing":
            m = Measure("missing", message=msg[1])
        else:
            m = Measure("error", message=msg[1])
        if self.verbose:
            what = f"{m.seconds:.2f}s, peak {m.peak_mb:.0f} MB" if m.ok else f"{m.status}: {m.message.splitlines()[0]}"
            print(f"  [{wall:5.1f}s] {label or stage}: {what}", file=sys.stderr, flush=True)
            if m.status == "error":
                print("    " + m.message.replace("\n", "\n    "), file=sys.stderr)
        return m


# ===================================================================================================
# Table
# ===================================================================================================


@dataclass
class Row:
    section: str
    name: str
    n: int | None
    m: Measure | None
    quality: str = ""
    unit: str = "docs"
    is_dedup: bool = False
    note: str = ""

    @property
    def rate(self) -> float | None:
        if self.m is None or not self.m.ok or not self.n or not self.m.times or self.m.seconds <= 0:
            return None
        return self.n / self.m.seconds


def _na(m: Measure | None) -> str:
    if m is None:
        return ""
    if m.status == "missing":
        return "n/a (module missing)"
    if m.status == "skipped":
        return m.message
    return "error"


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.ratios: list[str] = []

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def problems(self) -> list[Row]:
        return [r for r in self.rows if r.m is not None and r.m.status in ("missing", "error")]

    def render(self) -> str:
        out: list[str] = []
        sections: list[str] = []
        for r in self.rows:
            if r.section not in sections:
                sections.append(r.section)
        for sec in sections:
            rows = [r for r in self.rows if r.section == sec]
            base = next((r for r in rows if r.is_dedup and r.rate), None)
            out.append(f"\n### {sec}\n")
            out.append("| implementation | n | time s | per s | peak MB (+stage) | quality | dedup speed-up |")
            out.append("|---|---:|---:|---:|---:|---|---:|")
            for r in rows:
                m = r.m
                if m is not None and m.ok and m.times:
                    t = f"{m.seconds:.2f}"
                    rate = f"{r.rate:,.0f} {r.unit}/s" if r.rate else ""
                    mem = f"{m.peak_mb:,.0f} (+{max(0.0, m.stage_peak_mb - m.base_mb):,.0f})"
                    if m.children_mb > 0:
                        mem += f" + workers {m.children_mb:,.0f}"
                elif m is not None and m.ok:
                    t, rate, mem = "-", "", ""  # quality only (nothing to time)
                else:
                    t, rate, mem = _na(m), "", ""
                ratio = ""
                if base is not None and r is not base and not r.is_dedup and r.rate:
                    ratio = f"{base.rate / r.rate:.1f}x"
                name = r.name + (f" ({r.note})" if r.note else "")
                out.append(f"| {name} | {r.n if r.n is not None else ''} | {t} | {rate} | {mem} | {r.quality} | {ratio} |")
        if self.ratios:
            out.append("\n### Ratios (dedup / peer, same run)\n")
            out.extend(f"- {x}" for x in self.ratios)
        if self.notes:
            out.append("\n### Notes\n")
            out.extend(f"- {x}" for x in self.notes)
        return "\n".join(out)


def _f(x: float | None, nd: int = 3) -> str:
    return "" if x is None else f"{x:.{nd}f}"


def _ratio_line(report: Report, what: str, ded: Row, peer: Row, qd: str = "", qp: str = "") -> None:
    if ded.rate and peer.rate:
        extra = f"; quality {qd} vs {qp}" if qd or qp else ""
        report.ratios.append(f"{what}: {ded.name} vs {peer.name}: {ded.rate / peer.rate:.2f}x {ded.unit}/s{extra}")


# ===================================================================================================
# Sections
# ===================================================================================================


@dataclass
class Options:
    quick: bool
    size: int
    seed: int
    shared: Path
    repeats: int
    scale_sizes: list[int]
    scale_workers: int
    aeb_limit: int | None
    clean_pages: int


def _reported_pairs(summary: dict) -> list[tuple[int, int, float | None, float | None]]:
    """``(i, j, jaccard, containment)`` for every record joined to a representative."""
    index = {doc: k for k, doc in enumerate(summary["id"])}
    out = []
    for k, dup in enumerate(summary["duplicate_of"]):
        if dup is None or summary["status"][k] not in ("ok", "exact"):
            continue
        out.append((k, index[dup], summary["jaccard"][k], summary["containment"][k]))
    return out


def _cluster_recall(labels: list[str], truth_pairs: np.ndarray) -> tuple[int, int]:
    lab = np.asarray(labels, dtype=object)
    if len(truth_pairs) == 0:
        return 0, 0
    hit = int(sum(lab[i] == lab[j] for i, j in truth_pairs))
    return hit, len(truth_pairs)


def section_reuters(h: Harness, rep: Report, opt: Options) -> None:
    sec = "Reuters-21578 bodies: LSH+verify recall/precision vs brute-force ground truth"
    try:
        docs = data.load_reuters(opt.shared)
    except FileNotFoundError as exc:
        rep.notes.append(f"Reuters skipped: {exc}")
        return
    texts = [b for _, b in docs]
    t0 = time.perf_counter()
    gt = data.reuters_ground_truth(texts)
    gt_s = time.perf_counter() - t0
    st = gt.stats
    rep.notes.append(
        f"Reuters ground truth ({st['docs']:,} bodies, word 5-grams via {gt.shingler.split(':')[0]}, "
        f"every pair sharing a shingle, no posting list skipped; longest list {st.get('max_posting_list')}): "
        f"{st['pairs_sharing_a_shingle']:,} pairs share a shingle, {st['pairs_ge_threshold']:,} have J >= 0.5, "
        f"{st['pairs_ge_0.8']:,} have J >= 0.8; computed in {st['seconds']:.1f} s "
        f"(shingling {st['shingle_seconds']:.1f} s, pair counting {st['pairs_seconds']:.1f} s)"
        + (f"; this run loaded it from the cache in {gt_s:.1f} s" if st.get("cached") else ""))
    p08 = gt.pairs[gt.jaccard >= 0.8]
    p05 = gt.pairs
    from dedup.config import VerifyConfig as _VC  # noqa: N814

    vcfg = _VC()
    floor = vcfg.jaccard - 0.1

    # dedup, cleaning off: Reuters bodies are already clean text, and the ground truth is over them.
    cfg, how = _reuters_config()
    # The warm-up holds duplicates, so that every kernel (banding, verification, clustering) is
    # compiled, or loaded from numba's cache, before the timed runs. The median of the usual
    # repeats: one run of 0.2 s on this shared machine measured anywhere from 0.19 to 0.30 s.
    m = h.run("e2e", {"docs": docs, "config": cfg}, warm={"docs": docs[:2000], "config": cfg},
              repeats=opt.repeats, label="reuters dedup e2e")
    q = ""
    if m.ok:
        res = m.result
        hit8, tot8 = _cluster_recall(res["cluster"], p08)
        hit5, tot5 = _cluster_recall(res["cluster"], p05)
        pairs = _reported_pairs(res)
        j_join = [(i, j) for i, j, jac, _ in pairs if jac is not None and jac >= vcfg.jaccard]
        c_join = [(i, j) for i, j, jac, _ in pairs if not (jac is not None and jac >= vcfg.jaccard)]
        bad_j = sum(gt.similarity(i, j)[0] < floor for i, j in j_join)
        c_true = [gt.similarity(i, j) for i, j in c_join]
        bad_c = sum(tj < floor for tj, _ in c_true)
        c_cont = sorted(tc for _, tc in c_true)
        q = (f"recall J>=0.8 {hit8}/{tot8} = {hit8 / max(1, tot8):.4f}; J>=0.5 {hit5}/{tot5} = {hit5 / max(1, tot5):.3f}; "
             f"joins by Jaccard {len(j_join)} ({bad_j} with true J<{floor:.1f}); by containment {len(c_join)} "
             f"({bad_c} with true J<{floor:.1f}; true containment "
             + (f"min {c_cont[0]:.2f} median {statistics.median(c_cont):.2f}" if c_cont else "-") + ")")
        lab = res["cluster"]
        missed = [(int(i), int(j), float(x)) for (i, j), x in zip(gt.pairs, gt.jaccard, strict=True)
                  if x >= 0.8 and lab[i] != lab[j]]
        if missed:
            rep.notes.append("Reuters: true pairs at J>=0.8 that dedup did not cluster together (NEWID, NEWID, J, "
                             "containment): " + ", ".join(
                                 f"({docs[i][0]}, {docs[j][0]}, {x:.3f}, {gt.similarity(i, j)[1]:.3f})"
                                 for i, j, x in missed[:8]) + (" ..." if len(missed) > 8 else ""))
        if tot8 and hit8 / tot8 < 0.99:
            rep.notes.append(f"Reuters: dedup recall at J>=0.8 is {hit8 / tot8:.4f}, below the 0.99 target")
    rep.add(Row(sec, f"dedup e2e ({how})", len(docs), m, q, is_dedup=True))

    if opt.quick:
        rep.add(Row(sec, "datasketch MinHashLSH@0.5 + union-find", len(docs),
                    Measure("skipped", message="not run with --quick")))
        return
    ds = h.run("datasketch", {"docs": docs, "threshold": 0.5, "return_pairs": True},
               warm={"docs": docs[:50], "threshold": 0.5}, label="reuters datasketch@0.5")
    q = ""
    if ds.ok:
        labels = [ds.result["labels"][d] for d, _ in docs]
        hit8, tot8 = _cluster_recall(labels, p08)
        hit5, tot5 = _cluster_recall(labels, p05)
        hits = ds.result["pairs"]
        true_j = [gt.similarity(int(i), int(j))[0] for i, j in hits]
        bad = sum(t < floor for t in true_j)
        q = (f"recall J>=0.8 {hit8}/{tot8} = {hit8 / max(1, tot8):.4f}; J>=0.5 {hit5 / max(1, tot5):.3f}; "
             f"LSH pairs joined {len(hits)} ({bad} with true J<{floor:.1f}, unverified)")
    r = rep.add(Row(sec, "datasketch MinHashLSH@0.5 + union-find", len(docs), ds, q))
    _ratio_line(rep, "Reuters", rep.rows[-2], r)


def _reuters_config() -> tuple[dict, str]:
    """dedup defaults with cleaning switched off, when the config can say so."""
    import dataclasses

    from dedup.config import CleanConfig

    names = {f.name for f in dataclasses.fields(CleanConfig)}
    if "enabled" in names:
        return {"clean": {"enabled": False}}, "defaults, cleaning off"
    return {"clean": {"offtopic": False}}, "defaults, off-topic rule off"


def section_aeb(h: Harness, rep: Report, opt: Options) -> None:
    sec = "ScrapingHub AEB: article text from a naive scraper's page text (4-gram F1)"
    try:
        pages = data.load_aeb(opt.shared, limit=opt.aeb_limit)
    except FileNotFoundError as exc:
        rep.notes.append(f"AEB skipped: {exc}")
        return
    texts = data.aeb_naive_texts(pages)
    truths = [p.body for p in pages]
    n = len(pages)
    if opt.aeb_limit:
        rep.notes.append(f"AEB: --quick uses the first {n} of 181 pages (sorted by id); F1 differs from the full set")
    rows = {}
    for impl, name in (("raw", "raw page text (html_text)"), ("dedup", "dedup.clean"),
                       ("trafilatura", "trafilatura (text wrapped as HTML)"),
                       ("justext", "jusText (text wrapped as HTML)")):
        inp = {"impl": impl, "texts": texts, "html": False}
        m = h.run("clean", inp, warm={**inp, "texts": texts[:2]}, label=f"aeb {impl}")
        if impl == "raw":
            m.times = []  # the input itself: quality only
        q = ""
        if m.ok:
            s = data.aeb_score(m.result, truths)
            q = f"F1 {s['f1']:.3f} (P {s['precision']:.3f} R {s['recall']:.3f})"
            if impl == "dedup" and s["f1"] < 0.85:
                rep.notes.append(f"AEB: dedup.clean F1 {s['f1']:.3f} is below the 0.85 target")
        rows[impl] = rep.add(Row(sec, name, n, m, q, unit="pages", is_dedup=impl == "dedup"))
    # The full HTML: trafilatura alone, and dedup's HTML path (trafilatura, then the text rules).
    for impl, name, extra in (("trafilatura-html", "trafilatura on the full HTML (reference)", {}),
                              ("dedup", "dedup.clean_html on the full HTML", {"html": True})):
        if opt.quick:
            rep.add(Row(sec, name, n, Measure("skipped", message="not run with --quick")))
            continue
        inp = {"impl": impl, "texts": [p.html for p in pages], **extra}
        m = h.run("clean", inp, warm={**inp, "texts": inp["texts"][:2]}, label=f"aeb {impl} full html")
        q = ""
        if m.ok:
            s = data.aeb_score(m.result, truths)
            q = f"F1 {s['f1']:.3f} (P {s['precision']:.3f} R {s['recall']:.3f})"
        rep.add(Row(sec, name, n, m, q, unit="pages", is_dedup=impl == "dedup"))
    for impl in ("trafilatura", "justext"):
        if impl in rows:
            _ratio_line(rep, "AEB", rows["dedup"], rows[impl], rows["dedup"].quality.split(" (")[0],
                        rows[impl].quality.split(" (")[0])


def section_clean(h: Harness, rep: Report, opt: Options) -> None:
    sec = "Cleaning: line F1 on seeds and invented pages; speed on seed-like pages"
    fixtures = {name: data.load_clean_fixture(name) for name in ("seeds", "pages")}
    unique = [(name, doc, text) for name, docs in fixtures.items() for doc, text in docs]
    if not unique:
        rep.notes.append("cleaning section skipped: no fixtures")
        return
    n = opt.clean_pages
    # Every page once (scored), then the plain-text ones (seed-like: what a text scraper keeps)
    # cycled to n pages; the HTML pages, which trafilatura parses first, are timed once each.
    plain = [u for u in unique if not u[2].lstrip().startswith("<")]
    texts = [t for _, _, t in unique] + [t for _, _, t in data.repeat_to(plain, max(0, n - len(unique)))]
    n_html = len(unique) - len(plain)
    rep.notes.append(f"cleaning speed corpus: the {len(fixtures['seeds'])} seeds + {len(fixtures['pages'])} "
                     f"invented pages once ({n_html} of them HTML), then the {len(plain)} plain-text ones cycled "
                     f"to {n} pages ({sum(map(len, texts)) / n / 1024:.1f} KiB per page on average); dedup "
                     "forgets the lines it has seen before each page, so every page costs what an unseen one does")
    rows = {}
    for impl, name in (("dedup", "dedup.clean, 1 process, every page unseen"),
                       ("dedup-2proc", "dedup.clean, 2 processes, every page unseen"),
                       ("ftfy", "ftfy.fix_text"), ("trafilatura", "trafilatura (text wrapped as HTML)"),
                       ("justext", "jusText (text wrapped as HTML)")):
        inp = {"impl": impl, "texts": texts, "keep": len(unique), "html": None}
        warm = {**inp, "texts": texts[:len(unique)]} if impl != "dedup-2proc" else None
        m = h.run("clean", inp, warm=warm, repeats=opt.repeats, label=f"clean {impl}")
        q = ""
        if m.ok:
            parts = []
            for fx in ("seeds", "pages"):
                outs = {doc: out for (name, doc, _), out in zip(unique, m.result, strict=False) if name == fx}
                if outs:
                    s = data.score_clean(data.REPO_ROOT / "fixtures" / f"{fx}-expected", outs, opt.shared)
                    parts.append(f"{fx} F1 {s['f1']:.3f} (P {s['precision']:.3f} R {s['recall']:.3f})")
            q = "; ".join(parts)
        rows[impl] = rep.add(Row(sec, name, n, m, q, unit="pages", is_dedup=impl.startswith("dedup")))
    for impl in ("ftfy", "trafilatura", "justext"):
        _ratio_line(rep, "cleaning speed", rows["dedup"], rows[impl])


def _pair_f1(gold: dict, labels: dict[str, str], shared: Path) -> dict:
    return data.score_clusters(gold, labels, shared)


def _fmt_f1(s: dict) -> str:
    return f"pair F1 {s['f1']:.3f} (P {s['pair_precision']:.3f} R {s['pair_recall']:.3f})"


def section_cluster(h: Harness, rep: Report, opt: Options) -> list[str] | None:
    """Syndication fixture and the synthetic corpus. Returns the cleaned synthetic texts (for signing)."""
    # --- syndication fixture: quality only
    sec = "Clustering: syndication fixture (pair F1)"
    docs, gold = data.load_syndication()
    if docs:
        m = h.run("e2e", {"docs": docs, "config": {}}, warm={"docs": docs[:5], "config": {}},
                  label="syndication dedup")
        q = _fmt_f1(_pair_f1(gold, dict(zip(m.result["id"], m.result["cluster"], strict=True)), opt.shared)) if m.ok else ""
        rep.add(Row(sec, "dedup e2e (defaults)", len(docs), m, q, is_dedup=True))
        for thr in (0.5,) if opt.quick else (0.3, 0.5, 0.7):
            m = h.run("datasketch", {"docs": docs, "threshold": thr}, warm={"docs": docs[:5], "threshold": thr},
                      label=f"syndication datasketch@{thr}")
            q = _fmt_f1(_pair_f1(gold, m.result["labels"], opt.shared)) if m.ok else ""
            rep.add(Row(sec, f"datasketch@{thr} (ftfy, raw pages)", len(docs), m, q))
    else:
        rep.notes.append("syndication fixture absent: skipped")

    # --- synthetic corpus: quality and speed per stage
    sec = f"Clustering: synthetic corpus (benchmarks/synth.py, n={opt.size}, seed={opt.seed})"
    if not data.synth_available():
        rep.add(Row(sec, "dedup e2e", opt.size, Measure("missing", message="benchmarks/synth.py")))
        return None
    gen = list(data.synth_generate(opt.size, opt.seed))
    docs = [(d, t) for d, t, _ in gen]
    gold = data.gold_from_labels((d, g) for d, _, g in gen)
    del gen
    warm_docs = docs[:600]  # holds duplicates: every kernel is compiled before the timed runs

    e2e = h.run("e2e", {"docs": docs, "config": {}}, warm={"docs": warm_docs, "config": {}},
                repeats=opt.repeats, label="synth dedup e2e")
    q = _fmt_f1(_pair_f1(gold, dict(zip(e2e.result["id"], e2e.result["cluster"], strict=True)), opt.shared)) if e2e.ok else ""
    e2e_rows = [rep.add(Row(sec, "dedup end to end, 1 worker", len(docs), e2e, q, is_dedup=True))]

    def two_workers(label: str) -> Measure:
        return h.run("e2e", {"docs": docs, "config": {"workers": 2}}, warm={"docs": warm_docs, "config": {"workers": 2}},
                     repeats=opt.repeats, label=f"synth dedup e2e 2 workers{label}")

    # The 2-worker runs, the figure compared with the datasketch pipeline, are taken in batches: one
    # here, and one after each run of the pipeline, so that their median spans the time the
    # pipeline's runs took (a slow spell of this shared machine then weighs on both sides alike).
    two: list[Measure] = []
    if not opt.quick:
        m = two_workers("")
        two.append(m)
        q = _fmt_f1(_pair_f1(gold, dict(zip(m.result["id"], m.result["cluster"], strict=True)), opt.shared)) if m.ok else ""
        e2e_rows.append(rep.add(Row(sec, "dedup end to end, 2 workers", len(docs), m, q, is_dedup=True)))

    # per stage, each in its own process, the previous stage's output read from disk
    texts = [t for _, t in docs]
    inp = {"impl": "dedup-stream", "texts": texts, "html": None}
    m = h.run("clean", inp, warm={**inp, "texts": texts[:30]}, label="synth stage clean")
    rep.add(Row(sec, "  stage clean (dedup.clean)", len(texts), m, is_dedup=True))
    cleaned = m.result if m.ok else None
    if cleaned is not None:
        sigs = h.path("synth-sigs.npz")
        m = h.run("sign", {"impl": "dedup", "texts": cleaned, "threads": 1, "out": sigs},
                  warm={"impl": "dedup", "texts": cleaned[:30], "threads": 1}, repeats=opt.repeats,
                  label="synth stage sign")
        rep.add(Row(sec, "  stage shingle+sign (1 thread)", len(texts), m, is_dedup=True))
        if m.ok:
            pairs = h.path("synth-pairs.npy")
            m = h.run("band", {"sigs": sigs, "out": pairs}, repeats=opt.repeats, label="synth stage band",
                      warm={"sigs": sigs})
            rep.add(Row(sec, "  stage band", len(texts), m, f"{m.result['pairs']:,} candidate pairs" if m.ok else "",
                        is_dedup=True))
            if m.ok:
                sims = h.path("synth-sims.npz")
                m = h.run("verify", {"sigs": sigs, "pairs": pairs, "out": sims}, repeats=opt.repeats,
                          label="synth stage verify", warm={"sigs": sigs, "pairs": pairs})
                rep.add(Row(sec, "  stage verify", len(texts), m,
                            f"{m.result['accepted']:,} accepted" if m.ok else "", is_dedup=True))
                if m.ok:
                    m = h.run("cluster", {"sigs": sigs, "pairs": pairs, "sims": sims}, repeats=opt.repeats,
                              label="synth stage cluster", warm={"sigs": sigs, "pairs": pairs, "sims": sims})
                    rep.add(Row(sec, "  stage cluster", len(texts), m, is_dedup=True))

    thresholds = (0.5,) if opt.quick else (0.3, 0.5, 0.7)
    peer_rows: list[tuple[Row, str]] = []
    for thr in thresholds:
        m = h.run("datasketch", {"docs": docs, "threshold": thr}, warm={"docs": warm_docs, "threshold": thr},
                  label=f"synth datasketch@{thr}")
        q = _fmt_f1(_pair_f1(gold, m.result["labels"], opt.shared)) if m.ok else ""
        peer_rows.append((rep.add(Row(sec, f"datasketch@{thr} (ftfy -> MinHash -> MinHashLSH -> union-find)", len(docs), m, q)), q))
        if two and two[0].ok:  # a first batch that failed is not repeated
            two.append(two_workers(f" (after datasketch@{thr})"))
    if len(two) > 1 and all(m.ok for m in two):
        row = e2e_rows[-1]
        row.m = _merged(two)
        row.note = (f"median of {len(row.m.times)} runs in {len(two)} batches: before the datasketch runs and after "
                    f"each; the batches' medians {', '.join(f'{statistics.median(m.times):.3f}' for m in two)} s")
    for r, q in peer_rows:
        for e2e_row in e2e_rows:
            _ratio_line(rep, f"synthetic n={len(docs)}", e2e_row, r, e2e_row.quality.split(" (")[0], q.split(" (")[0])
    if not opt.quick:
        m = h.run("datasketch", {"docs": docs, "threshold": 0.3, "fix": False}, label="synth datasketch raw@0.3")
        q = _fmt_f1(_pair_f1(gold, m.result["labels"], opt.shared)) if m.ok else ""
        rep.add(Row(sec, "datasketch@0.3 on raw pages, no ftfy", len(docs), m, q))
        if cleaned is not None:
            cdocs = [(d, t) for (d, _), t in zip(docs, cleaned, strict=True)]
            m = h.run("datasketch", {"docs": cdocs, "threshold": 0.5}, label="synth datasketch on dedup-cleaned@0.5")
            q = _fmt_f1(_pair_f1(gold, m.result["labels"], opt.shared)) if m.ok else ""
            rep.add(Row(sec, "datasketch@0.5 on dedup.clean output (isolates the clustering)", len(docs), m, q))
    return cleaned


def section_signature(h: Harness, rep: Report, opt: Options, cleaned: list[str] | None) -> None:
    sec = "Signature stage alone: shingle + MinHash (128 permutations) on cleaned synthetic texts"
    if cleaned is None:
        if not data.synth_available():
            rep.add(Row(sec, "dedup sign_batch", None, Measure("missing", message="benchmarks/synth.py")))
            return
        # dedup.clean failed or is missing: sign the raw pages rather than skip the section.
        sec = "Signature stage alone: shingle + MinHash (128 permutations) on RAW synthetic pages (no clean output)"
        cleaned = [t for _, t, _ in data.synth_generate(opt.size, opt.seed)]
    n = len(cleaned)
    rows = {}
    for impl, threads, name in (("dedup", 1, "dedup sign_batch, 1 thread"), ("dedup", 2, "dedup sign_batch, 2 threads"),
                                ("datasketch", None, "datasketch MinHash.update_batch per doc"),
                                ("rensa", None, "rensa RMinHash (shingles in Python)")):
        inp = {"impl": impl, "texts": cleaned, "threads": threads}
        m = h.run("sign", inp, warm={**inp, "texts": cleaned[:30]}, repeats=max(3, opt.repeats),
                  label=f"sign {impl} {threads or ''}")
        rows[name] = rep.add(Row(sec, name, n, m, is_dedup=impl == "dedup"))
    ded = rows["dedup sign_batch, 1 thread"]
    for r in rows.values():
        if not r.is_dedup:
            _ratio_line(rep, "signing", ded, r)


def section_scale(h: Harness, rep: Report, opt: Options) -> None:
    sec = "Scaling: dedup end to end on the streamed synthetic corpus (generation time subtracted)"
    if not data.synth_available():
        rep.add(Row(sec, "dedup e2e", None, Measure("missing", message="benchmarks/synth.py")))
        return
    points = []
    for n in opt.scale_sizes:
        cfg = {"workers": opt.scale_workers}
        m = h.run("scale", {"n": n, "seed": opt.seed, "config": cfg}, label=f"scale {n}",
                  warm={"n": 50, "seed": opt.seed, "config": cfg})
        if m.ok:
            dedup_s = m.result["total_s"] - m.result["generate_s"]
            m.times = [dedup_s]
            q = (f"generation {m.result['generate_s']:.1f} s, dedup {dedup_s:.1f} s, "
                 f"{m.result['duplicates']:,} duplicates")
            points.append((n, dedup_s, m.peak_mb))
        else:
            q = ""
        rep.add(Row(sec, f"dedup e2e n={n:,}, {opt.scale_workers} worker(s)", n, m, q, is_dedup=True))
    if len(points) >= 2:
        (n0, t0, _), (n1, t1, _) = points[0], points[-1]
        rep.notes.append(f"scaling: time grows {t1 / t0:.1f}x for {n1 / n0:.0f}x documents "
                         f"(peak {points[-1][2]:,.0f} MB at {n1:,})")


# ===================================================================================================
# Machine description, main
# ===================================================================================================


def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines()
                            if ln.startswith("model name")), platform.processor() or "?")
    except OSError:
        info["cpu"] = platform.processor() or "?"
    info["cores"] = str(os.cpu_count())
    try:
        affinity = len(os.sched_getaffinity(0))
        info["cores"] += f" ({affinity} usable)"
    except AttributeError:
        pass
    try:
        kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "?"
    info["os"] = platform.platform()
    info["python"] = platform.python_version()
    import importlib.metadata as md

    for pkg in ("numpy", "numba", "datasketch", "trafilatura", "justext", "ftfy", "rensa", "html-text"):
        try:
            info[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            info[pkg] = "not installed"
    try:
        import dedup

        kind = "compiled (mypyc)" if sys.modules["dedup.clean"].COMPILED else "pure Python"
        info["dedup"] = f"{Path(dedup.__file__).parent}, cleaner {kind}"
    except (ImportError, AttributeError) as exc:
        info["dedup"] = f"? ({exc})"
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                        text=True, timeout=10).stdout.strip() or "?"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "dedup", "benchmarks"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if dirty:
            info["commit"] += " (+ uncommitted changes)"
    except (OSError, subprocess.SubprocessError):
        info["commit"] = "?"
    return info


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smoke run, < 2 minutes: smaller corpora, 1 repeat")
    p.add_argument("--size", type=int, default=None, help="synthetic corpus size (default 10,000; 2,000 with --quick)")
    p.add_argument("--seed", type=int, default=0, help="synthetic corpus seed (default 0)")
    p.add_argument("--shared", type=Path, default=data.default_shared_dir(),
                   help="the shared folder holding benchdata/ and tools/ (default ../shared)")
    p.add_argument("--write-results", action="store_true", help="write benchmarks/RESULTS.md")
    p.add_argument("--scale", action="store_true", help="also run the 10k/100k/1M scaling points (long)")
    p.add_argument("--scale-sizes", default="10000,100000,1000000", help="comma-separated scaling points")
    p.add_argument("--scale-workers", type=int, default=2, help="dedup workers for the scaling points (default 2)")
    p.add_argument("--only", default="",
                   help="comma-separated sections: " + ",".join(SECTIONS) + " (signature runs cluster first, "
                        "for its clean texts; scale alone is --scale without the other sections)")
    p.add_argument("--repeats", type=int, default=None, help="timing repeats (median); default 3, 1 with --quick")
    p.add_argument("--results", type=Path, default=BENCH_DIR / "RESULTS.md", help="where --write-results writes")
    args = p.parse_args(argv)
    unknown = sorted({s.strip() for s in args.only.split(",") if s.strip()} - set(SECTIONS))
    if unknown:
        p.error(f"--only: no section {', '.join(map(repr, unknown))}; the sections are {', '.join(SECTIONS)}")
    return args


#: The sections ``--only`` can pick, in the order they run.
SECTIONS = ("reuters", "aeb", "clean", "cluster", "signature", "scale")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    opt = Options(
        quick=args.quick,
        size=args.size if args.size is not None else (2_000 if args.quick else 10_000),
        seed=args.seed,
        shared=args.shared,
        repeats=args.repeats if args.repeats is not None else (1 if args.quick else 3),
        scale_sizes=[int(x) for x in args.scale_sizes.split(",") if x.strip()],
        scale_workers=args.scale_workers,
        aeb_limit=None,
        clean_pages=300 if args.quick else 2_000,
    )
    only = {s.strip() for s in args.only.split(",") if s.strip()}

    def wanted(section: str) -> bool:
        return not only or section in only

    workdir = data.CACHE_DIR / f"run-{os.getpid()}"
    h = Harness(workdir)
    rep = Report()
    try:
        if wanted("reuters"):
            _guard(rep, "reuters", section_reuters, h, rep, opt)
        if wanted("aeb"):
            _guard(rep, "aeb", section_aeb, h, rep, opt)
        if wanted("clean"):
            _guard(rep, "clean", section_clean, h, rep, opt)
        cleaned = None
        if wanted("cluster") or wanted("signature"):
            cleaned = _guard(rep, "cluster", section_cluster, h, rep, opt)
        if wanted("signature"):
            _guard(rep, "signature", section_signature, h, rep, opt, cleaned)
        if args.scale or "scale" in only:
            _guard(rep, "scale", section_scale, h, rep, opt)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    command = "python benchmarks/run.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    info = machine()
    header = (f"Command: `{command}` — total {elapsed:.0f} s\n\n"
              "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    legend = ("Times are medians of per-stage wall time; 'peak MB' is the peak RSS of the process that ran only "
              "that stage (interpreter, libraries and the stage's input included), '+stage' how far RSS rose above "
              "the input-loaded baseline while the timed stage ran; 'workers' is the largest worker process. "
              "'dedup speed-up' is dedup's rate divided by the peer's, same corpus, same run.")
    table = rep.render()
    problems = rep.problems()
    if problems:
        table += "\n\nNOT MEASURED: " + "; ".join(f"{r.section} / {r.name.strip()}: {_na(r.m)}" for r in problems)
    print(header)
    print()
    print(legend)
    print(table)
    (data.CACHE_DIR).mkdir(parents=True, exist_ok=True)
    (data.CACHE_DIR / "last-run.md").write_text(f"{header}\n\n{legend}\n{table}\n", encoding="utf-8")
    if args.write_results:
        args.results.write_text(
            "# Benchmark results\n\nWritten by `benchmarks/run.py --write-results`; see `benchmarks/README.md` "
            f"for what each number means.\n\n{header}\n\n{legend}\n{table}\n", encoding="utf-8")
        print(f"\nwrote {args.results}")
    return 1 if any(r.m is not None and r.m.status == "error" for r in problems) else 0


def _guard(rep: Report, name: str, fn: Callable, *a: Any) -> Any:
    """A section that fails outright (bad data, a missing module at import) is reported, not fatal."""
    try:
        return fn(*a)
    except ImportError as exc:
        rep.add(Row(name, f"section {name}", None, Measure("missing", message=str(exc))))
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        rep.add(Row(name, f"section {name}", None, Measure("error", message=f"{type(exc).__name__}: {exc}")))
    return None


if __name__ == "__main__":
    sys.exit(main())
