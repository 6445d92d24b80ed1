"""Corpus loaders, ground truth and quality metrics for ``benchmarks/run.py``.

Everything here is deterministic and independent of timing: loaders turn the third-party data in
``../shared/benchdata`` and the project's fixtures into plain Python values; metric functions score
outputs; :func:`reuters_ground_truth` computes (and caches) the exact near-duplicate pairs of
Reuters-21578 by brute force.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import importlib.util
import io
import itertools
import json
import math
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"


def default_shared_dir() -> Path:
    """``../shared`` next to the repository root."""
    return REPO_ROOT.parent / "shared"


def _ensure_repo_on_path() -> None:
    """Make ``dedup`` importable: the installed one if any (see run.py), else this checkout."""
    if importlib.util.find_spec("dedup") is None and str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))


def shingle_function() -> tuple[Callable[[str, int], list[str]], str]:
    """``(shingles(text, ngram), name)``: dedup's own reference shingles, named by a hash of their source.

    The ground truth is computed with exactly the tokenisation dedup matches on; the name enters the
    cache key, so a change to ``dedup/shingle.py`` recomputes the ground truth.
    """
    import inspect

    _ensure_repo_on_path()
    from dedup import shingle

    src = inspect.getsource(shingle)
    return shingle.shingles, "dedup.shingle:" + hashlib.sha256(src.encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------------
# Reuters-21578
# ---------------------------------------------------------------------------------------------------

_REUTERS_RE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID_RE = re.compile(r'NEWID="(\d+)"')
_BODY_RE = re.compile(r"<BODY>(.*?)</BODY>", re.S)
# The wire's sign-off, matched on the raw SGML (before unescaping, which drops "&#3;"): a "Reuter" line
# (any case; a few "REUTERS", "REUTE", "REUTER...", "REUTER...^M", or after a table's final period)
# and the ETX entity. "... told Reuters." inside a sentence is not a sign-off and stays.
_REUTER_TAIL = re.compile(
    r"(?:(?:\n|(?<=\.))[ \t]*reut(?:ers?|e)\b(?:\.\.\.)?(?:\^M)?)?\s*(?:&#3;)?\s*$", re.I)


def clean_reuters_body(raw: str) -> str:
    """Strip the trailing ``Reuter`` + ETX sign-off, then unescape SGML entities (``&lt;`` ...)."""
    body, prev = raw, None
    while body != prev:  # a few stories carry the sign-off twice
        prev, body = body, _REUTER_TAIL.sub("", body, count=1)
    return html.unescape(body).replace("\x03", "").strip()


def parse_reuters_sgml(text: str) -> Iterator[tuple[str, str]]:
    """``(NEWID, body)`` for every ``<REUTERS>`` record that has a ``<BODY>``."""
    for m in _REUTERS_RE.finditer(text):
        attrs, inner = m.group(1), m.group(2)
        idm = _NEWID_RE.search(attrs)
        body = _BODY_RE.search(inner)
        if idm is None or body is None:
            continue
        yield idm.group(1), clean_reuters_body(body.group(1))


def reuters_files(shared: Path | None = None) -> list[Path]:
    shared = shared or default_shared_dir()
    return sorted((shared / "benchdata" / "reuters21578").glob("reut2-*.sgm.gz"))


def load_reuters(shared: Path | None = None) -> list[tuple[str, str]]:
    """All Reuters-21578 bodies as ``(NEWID, body)`` in file order (19,043 records)."""
    files = reuters_files(shared)
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm.gz under {(shared or default_shared_dir())}/benchdata/reuters21578")
    out: list[tuple[str, str]] = []
    for path in files:
        with gzip.open(path, "rb") as fh:
            out.extend(parse_reuters_sgml(fh.read().decode("latin-1")))
    return out


@dataclass
class GroundTruth:
    """Exact near-duplicate pairs of a corpus, by brute force over shared shingles.

    ``pairs[k] = (i, j)`` indexes the corpus (``i < j``), ``inter[k]`` is the number of shared shingles,
    ``jaccard[k]`` the exact Jaccard. ``ids``/``offsets`` are every document's sorted unique shingle ids
    (CSR), kept so the true similarity of any other pair can be computed (:meth:`similarity`).
    """

    pairs: np.ndarray
    inter: np.ndarray
    jaccard: np.ndarray
    ids: np.ndarray
    offsets: np.ndarray
    threshold: float
    shingler: str
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def pair_keys(self, min_jaccard: float) -> set[tuple[int, int]]:
        sel = self.jaccard >= min_jaccard
        return {(int(a), int(b)) for a, b in self.pairs[sel]}

    def similarity(self, i: int, j: int) -> tuple[float, float]:
        """Exact ``(jaccard, containment of the smaller in the larger)`` of documents ``i`` and ``j``."""
        a = self.ids[self.offsets[i]:self.offsets[i + 1]]
        b = self.ids[self.offsets[j]:self.offsets[j + 1]]
        if len(a) == 0 or len(b) == 0:
            return 0.0, 0.0
        inter = len(np.intersect1d(a, b, assume_unique=True))
        return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def shingle_csr(texts: Sequence[str], ngram: int,
                shingles: Callable[[str, int], list[str]]) -> tuple[np.ndarray, np.ndarray, int]:
    """Every text's sorted unique shingle ids (exact: ids come from a dictionary, no hashing)."""
    vocab: dict[str, int] = {}
    setdefault = vocab.setdefault
    chunks: list[np.ndarray] = []
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    for k, text in enumerate(texts):
        row = np.fromiter({setdefault(s, len(vocab)) for s in shingles(text, ngram)}, dtype=np.int32)
        row.sort()
        chunks.append(row)
        offsets[k + 1] = offsets[k] + len(row)
    ids = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    return ids, offsets, len(vocab)


def all_pairs_jaccard(ids: np.ndarray, offsets: np.ndarray, n_vocab: int, threshold: float,
                      max_entries: int = 20_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """Exact Jaccard of every pair sharing at least one shingle; keep those with ``J >= threshold``.

    Inverted index over *all* shingles (none skipped): every posting list of length ``k`` yields its
    ``k(k-1)/2`` document pairs, encoded as ``i * n + j``; counting equal codes gives the intersection
    size of each pair. Posting lists are processed in groups so at most ``max_entries`` codes are held at once.
    """
    n_docs = len(offsets) - 1
    sizes = np.diff(offsets)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), sizes)
    order = np.argsort(ids, kind="stable")           # postings: docs sorted by shingle id, then doc
    post_docs = doc_of[order]
    df = np.bincount(ids, minlength=n_vocab).astype(np.int64)
    post_off = np.concatenate(([0], np.cumsum(df)))
    n_pair_entries = int((df * (df - 1) // 2).sum())
    multi = np.flatnonzero(df >= 2)
    counts_parts: list[tuple[np.ndarray, np.ndarray]] = []
    # Group shingles by posting-list length: every list of length k gives the same (a, b) index pattern.
    for k in np.unique(df[multi]):
        shs = multi[df[multi] == k]
        ai, bi = np.triu_indices(int(k), 1)
        step = max(1, max_entries // max(1, len(ai)))
        for s in range(0, len(shs), step):
            part = shs[s:s + step]
            block = post_docs[post_off[part][:, None] + np.arange(k)[None, :]]   # (len(part), k), rows sorted
            codes = (block[:, ai] * n_docs + block[:, bi]).ravel()
            u, c = np.unique(codes, return_counts=True)
            counts_parts.append((u, c))
    if counts_parts:
        allu = np.concatenate([u for u, _ in counts_parts])
        allc = np.concatenate([c for _, c in counts_parts])
        order2 = np.argsort(allu, kind="stable")
        allu, allc = allu[order2], allc[order2]
        starts = np.flatnonzero(np.concatenate(([True], allu[1:] != allu[:-1])))
        codes = allu[starts]
        inter = np.add.reduceat(allc, starts)
    else:
        codes = np.zeros(0, dtype=np.int64)
        inter = np.zeros(0, dtype=np.int64)
    i, j = codes // n_docs, codes % n_docs
    jac = inter / (sizes[i] + sizes[j] - inter)
    keep = jac >= threshold
    stats = {"pair_entries": n_pair_entries, "pairs_sharing_a_shingle": int(len(codes)),
             "max_posting_list": int(df.max()) if len(df) else 0}
    return (np.stack([i[keep], j[keep]], axis=1), inter[keep].astype(np.int64), jac[keep], stats)


def _digest_texts(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def reuters_ground_truth(texts: Sequence[str], ngram: int = 5, threshold: float = 0.5,
                         cache_dir: Path | None = CACHE_DIR, use_cache: bool = True) -> GroundTruth:
    """Exact pairs with word-``ngram`` Jaccard >= ``threshold``, cached by a hash of data and settings."""
    shingles, shingler = shingle_function()
    key = hashlib.sha256(f"{_digest_texts(texts)}|{ngram}|{threshold}|{shingler}|v1".encode()).hexdigest()[:20]
    path = cache_dir / f"groundtruth-{key}.npz" if cache_dir is not None else None
    if use_cache and path is not None and path.exists():
        z = np.load(path, allow_pickle=False)
        stats = json.loads(str(z["stats"]))
        stats["cached"] = True
        return GroundTruth(z["pairs"], z["inter"], z["jaccard"], z["ids"], z["offsets"],
                           threshold, shingler, stats)
    t0 = time.perf_counter()
    ids, offsets, n_vocab = shingle_csr(texts, ngram, shingles)
    t1 = time.perf_counter()
    pairs, inter, jac, stats = all_pairs_jaccard(ids, offsets, n_vocab, threshold)
    t2 = time.perf_counter()
    stats.update({"docs": len(texts), "distinct_shingles": n_vocab, "shingle_seconds": round(t1 - t0, 2),
                  "pairs_seconds": round(t2 - t1, 2), "seconds": round(t2 - t0, 2),
                  "pairs_ge_threshold": int(len(pairs)), "pairs_ge_0.8": int((jac >= 0.8).sum()),
                  "cached": False})
    gt = GroundTruth(pairs, inter, jac, ids, offsets, threshold, shingler, stats)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, pairs=pairs, inter=inter, jaccard=jac, ids=ids, offsets=offsets,
                 stats=np.array(json.dumps({k: v for k, v in stats.items() if k != "cached"})))
        tmp.replace(path)
    return gt


# ---------------------------------------------------------------------------------------------------
# ScrapingHub article extraction benchmark
# ---------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def declared_charset(raw: bytes, default: str = "utf-8") -> str:
    """The charset the page declares (``<meta charset>`` or ``http-equiv`` content), else ``default``."""
    m = _META_CHARSET.search(raw[:20000])
    if m:
        name = m.group(1).decode("ascii", "replace").strip().lower()
        try:
            import codecs

            return codecs.lookup(name).name
        except LookupError:
            pass
    return default


@dataclass
class AebPage:
    id: str
    html: str
    body: str
    url: str


def load_aeb(shared: Path | None = None, limit: int | None = None) -> list[AebPage]:
    """The AEB pages (decoded with their own declared charset) with their ground-truth article body."""
    root = (shared or default_shared_dir()) / "benchdata" / "scrapinghub_aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        path = root / "html" / f"{pid}.html.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        text = raw.decode(declared_charset(raw), errors="replace")
        out.append(AebPage(pid, text, truth[pid].get("articleBody") or "", truth[pid].get("url") or ""))
        if limit is not None and len(out) >= limit:
            break
    return out


def naive_text(page_html: str) -> str:
    """The plain text a naive scraper keeps: every visible text with layout guessed."""
    import html_text

    return html_text.extract_text(page_html, guess_layout=True)


def aeb_naive_texts(pages: Sequence[AebPage], cache_dir: Path | None = CACHE_DIR) -> list[str]:
    """:func:`naive_text` of every page, cached (it is the benchmark's input, not a measured stage)."""
    import html_text

    key = hashlib.sha256((_digest_texts(p.html for p in pages) + "|html_text|"
                          + getattr(html_text, "__version__", "?")).encode()).hexdigest()[:20]
    path = cache_dir / f"aeb-naive-{key}.json" if cache_dir is not None else None
    if path is not None and path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    texts = [naive_text(p.html) for p in pages]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(texts), encoding="utf-8")
    return texts


_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingle_multiset(text: str, n: int = 4) -> Counter:
    """The AEB metric's features: ``\\w+`` tokens, word ``n``-grams as a multiset (one short shingle if fewer)."""
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([" ".join(tokens)]) if tokens else Counter()
    return Counter(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_pr(pred: str, truth: str, n: int = 4) -> tuple[float, float]:
    """Per-page ``(precision, recall)`` of predicted text against the true article body."""
    p, t = shingle_multiset(pred, n), shingle_multiset(truth, n)
    tp = sum((p & t).values())
    n_pred, n_true = sum(p.values()), sum(t.values())
    if n_pred == 0 and n_true == 0:
        return 1.0, 1.0
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    return precision, recall


def aeb_score(preds: Sequence[str], truths: Sequence[str], n: int = 4) -> dict[str, float]:
    """Mean per-page precision and recall; F1 from the two means (the upstream benchmark's metric)."""
    prs = [shingle_pr(p, t, n) for p, t in zip(preds, truths, strict=True)]
    P = sum(p for p, _ in prs) / len(prs) if prs else 0.0
    R = sum(r for _, r in prs) / len(prs) if prs else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {"precision": P, "recall": R, "f1": F, "pages": len(prs)}


# ---------------------------------------------------------------------------------------------------
# Cleaning fixtures (seeds, invented pages) and their line scorer
# ---------------------------------------------------------------------------------------------------


def load_clean_fixture(name: str, root: Path = REPO_ROOT / "fixtures") -> list[tuple[str, str]]:
    """``(doc id, raw text)`` of ``fixtures/<name>/*`` that have an expectation in ``<name>-expected``."""
    src, exp = root / name, root / f"{name}-expected"
    if not src.is_dir() or not exp.is_dir():
        return []
    out = []
    for path in sorted(p for p in src.iterdir() if p.is_file()):
        doc = path.stem
        if (exp / f"{doc}.txt").exists():
            out.append((doc, path.read_bytes().decode("utf-8", errors="replace")))
    return out


def _load_tool(shared: Path | None, name: str):
    path = (shared or default_shared_dir()) / "tools" / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"_shared_{name}", path)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run_tool_main(mod, argv: list[str]) -> str:
    old = sys.argv
    buf = io.StringIO()
    try:
        sys.argv = [mod.__file__ or "tool", *argv]
        with contextlib.redirect_stdout(buf):
            mod.main()
    finally:
        sys.argv = old
    return buf.getvalue()


def _parse_all_line(out: str) -> dict[str, float]:
    last = [ln for ln in out.splitlines() if ln.startswith("ALL:")]
    if not last:
        raise RuntimeError(f"scorer printed no summary:\n{out[-500:]}")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", last[-1])}


# Faithful stand-in for ../shared/tools/score_clean.py, used only when the tool is absent.
_MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf¡-¿]|вЂ|โ€|ยฉ|Â[\xa0-\xbf]|[\u0e00-\u0e7f][€˜™]|Ð[\x80-\xbf]|ï»¿|\ufffd")
_BULLET = re.compile(r"^[\s•·\-\*–—>|]+")


def _norm_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\xa0", " ")
    line = _BULLET.sub("", line)
    return re.sub(r"\s+", " ", line).strip()


def _norm_lines(text: str) -> list[str]:
    return [n for n in (_norm_line(x) for x in text.splitlines()) if n]


def _score_clean_fallback(expected_dir: Path, outputs: dict[str, str]) -> dict[str, float]:
    tot_exp = tot_found = tot_out = tot_ok = tot_moj = 0
    for exp_path in sorted(expected_dir.glob("*.txt")):
        if exp_path.name.endswith(".optional.txt"):
            continue
        doc = exp_path.stem
        if doc not in outputs:
            continue
        expected = Counter(_norm_lines(exp_path.read_text(encoding="utf-8")))
        opt_path = expected_dir / f"{doc}.optional.txt"
        optional = Counter(_norm_lines(opt_path.read_text(encoding="utf-8"))) if opt_path.exists() else Counter()
        output = _norm_lines(outputs[doc])
        found = ok = 0
        for line in output:
            tot_moj += bool(_MOJIBAKE.search(line))
            if expected[line] > 0:
                expected[line] -= 1
                found += 1
                ok += 1
            elif optional[line] > 0:
                optional[line] -= 1
                ok += 1
        tot_exp += sum(Counter(_norm_lines(exp_path.read_text(encoding="utf-8"))).values())
        tot_found += found
        tot_out += len(output)
        tot_ok += ok
    P = tot_ok / tot_out if tot_out else 0.0
    R = tot_found / tot_exp if tot_exp else 0.0
    return {"precision": P, "recall": R, "f1": 2 * P * R / (P + R) if P + R else 0.0, "mojibake_lines": tot_moj}


def score_clean(expected_dir: Path, outputs: dict[str, str], shared: Path | None = None) -> dict[str, float]:
    """Line precision/recall/F1 of cleaner outputs (``{doc id: text}``) with ``score_clean.py``'s logic.

    The shared scorer is run as is on a temporary output folder; its summary line is parsed.
    """
    mod = _load_tool(shared, "score_clean")
    if mod is None:
        return _score_clean_fallback(expected_dir, outputs)
    with tempfile.TemporaryDirectory() as tmp:
        for doc, text in outputs.items():
            (Path(tmp) / f"{doc}.txt").write_text(text, encoding="utf-8")
        return _parse_all_line(_run_tool_main(mod, [str(expected_dir), tmp]))


# ---------------------------------------------------------------------------------------------------
# Clusters: the syndication fixture, the synthetic corpus and the pair scorer
# ---------------------------------------------------------------------------------------------------


def load_syndication(root: Path = REPO_ROOT / "fixtures" / "syndication") -> tuple[list[tuple[str, str]], dict]:
    """``([(doc id, text)], gold)`` of the syndication fixture (ids are the file stems)."""
    docs_dir, gold_path = root / "docs", root / "gold.json"
    if not docs_dir.is_dir() or not gold_path.exists():
        return [], {}
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    docs = [(p.stem, p.read_bytes().decode("utf-8", errors="replace"))
            for p in sorted(docs_dir.iterdir()) if p.is_file()]
    return docs, gold


def synth_available() -> bool:
    return (BENCH_DIR / "synth.py").exists()


def synth_generate(n_docs: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """``benchmarks/synth.py``'s generator: ``(doc id, raw text, gold cluster)``, streamed."""
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    _ensure_repo_on_path()
    import synth

    return synth.generate(n_docs, seed)


def gold_from_labels(labels: Iterable[tuple[str, str]]) -> dict:
    clusters: dict[str, list[str]] = {}
    for doc, lab in labels:
        clusters.setdefault(str(lab), []).append(str(doc))
    return {"clusters": clusters}


def _pairs(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def score_clusters_fallback(gold: dict, pred: dict[str, str]) -> dict[str, float]:
    groups: dict[str, list[str]] = {}
    for doc, lab in pred.items():
        groups.setdefault(str(lab), []).append(str(doc))
    ids = {i for members in gold["clusters"].values() for i in members}
    gp, pp = _pairs(gold["clusters"].values()), _pairs(groups.values())
    tp = len(gp & pp)
    P = tp / len(pp) if pp else 1.0
    R = tp / len(gp) if gp else 1.0
    return {"pair_precision": P, "pair_recall": R, "f1": 2 * P * R / (P + R) if P + R else 0.0,
            "gold_pairs": len(gp), "pred_pairs": len(pp), "missing": len(ids - set(pred))}


def score_clusters(gold: dict, pred: dict[str, str], shared: Path | None = None) -> dict[str, float]:
    """Pair precision/recall/F1 of ``{doc id: cluster label}`` against gold, with ``score_clusters.py``."""
    mod = _load_tool(shared, "score_clusters")
    if mod is None:
        return score_clusters_fallback(gold, pred)
    with tempfile.TemporaryDirectory() as tmp:
        gp, pp = Path(tmp) / "gold.json", Path(tmp) / "pred.jsonl"
        gp.write_text(json.dumps(gold), encoding="utf-8")
        with pp.open("w", encoding="utf-8") as fh:
            for doc, lab in pred.items():
                fh.write(json.dumps({"id": doc, "cluster": lab}) + "\n")
        return _parse_all_line(_run_tool_main(mod, [str(gp), str(pp)]))


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------


def wrap_lines_as_html(text: str) -> str:
    """Plain text as the minimal HTML extractors need: one ``<p>`` per non-empty line."""
    paras = "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{paras}</body></html>"


def repeat_to(items: Sequence[Any], n: int) -> list[Any]:
    """``items`` cycled to exactly ``n`` entries."""
    if not items:
        return []
    reps = math.ceil(n / len(items))
    return (list(items) * reps)[:n]
