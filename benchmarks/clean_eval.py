"""Quick quality and speed check of ``dedup.clean``: seeds, invented pages, ScrapingHub AEB, ms/page.

usage: python benchmarks/clean_eval.py [--show-seeds] [--show-pages] [--repeats N] [--dump DIR]
                                      [--pages DIR [--per-page]]

* seeds / pages: micro-averaged line P/R/F1 and mojibake count (the logic of score_clean.py);
* ScrapingHub AEB: naive page text (``html_text``, cached in ``benchmarks/.cache``) cleaned, 4-gram
  F1 of the mean per-page P and R, on all pages and on the even / odd halves (by sorted page id);
* --pages DIR: any other set of real pages, scored like ScrapingHub beside the peers (raw text,
  trafilatura and jusText on the same naive text, trafilatura on the full HTML). DIR holds
  ``<id>.html`` and the true article text ``<id>.txt``, side by side or in ``html/`` and ``txt/``
  (the layout of newspaper4k's test pages: ``pip download newspaper4k==0.9.6 --no-deps
  --no-binary :all:``, unpack, and pass ``newspaper4k-0.9.6/tests/data``). Pages without a truth
  are skipped;
* speed: CPU time (``time.process_time``) per page on the seeds + invented pages, median of N
  repeats after a warm-up, with and without character repair.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
for p in (str(BENCH_DIR), str(REPO_ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)
# The installed dedup when there is one (a wheel install runs the compiled cleaner), else this checkout.
if importlib.util.find_spec("dedup") is None:
    sys.path.insert(0, str(REPO_ROOT))

import data  # noqa: E402
from scoring import Score, score_outputs  # noqa: E402

from dedup import CleanConfig  # noqa: E402
from dedup.clean import COMPILED, clean, is_html  # noqa: E402

FIXTURES = REPO_ROOT / "fixtures"


def _fixture_score(name: str, show: bool) -> tuple[Score, list[str]]:
    """The fixture set's line score, and its plain-text pages (HTML ones time trafilatura, not us)."""
    docs = data.load_clean_fixture(name)
    outputs = {doc: clean(text).text for doc, text in docs}
    score = score_outputs(FIXTURES / f"{name}-expected", outputs)
    if show:
        print(score.report())
    return score, [t for _, t in docs if not is_html(t)]


def _speed(texts: list[str], repeats: int, config: CleanConfig) -> float:
    """Median CPU milliseconds per page over ``repeats`` passes (after one warm-up pass)."""
    for t in texts:
        clean(t, config)
    per_page = []
    for _ in range(repeats):
        t0 = time.process_time()
        for t in texts:
            clean(t, config)
        per_page.append((time.process_time() - t0) / len(texts) * 1000)
    return statistics.median(per_page)


def load_page_set(root: Path) -> list[tuple[str, str, str]]:
    """``(id, html, true text)`` of a folder of pages (see ``--pages``), sorted by id; each page is
    decoded with the charset it declares, the truth as UTF-8."""
    html_dir, txt_dir = (root / "html", root / "txt") if (root / "html").is_dir() else (root, root)
    out = []
    for path in sorted(html_dir.glob("*.htm*")):
        truth = txt_dir / (path.stem + ".txt")
        if not truth.exists():
            continue
        raw = path.read_bytes()
        out.append((path.stem, raw.decode(data.declared_charset(raw), errors="replace"),
                    truth.read_text(encoding="utf-8", errors="replace")))
    return out


def score_page_set(root: Path, per_page: bool) -> None:
    """Print dedup's and the peers' 4-gram F1 on a folder of real pages (see ``--pages``)."""
    import peers

    pages = load_page_set(root)
    if not pages:
        print(f"--pages {root}: no <id>.html with an <id>.txt beside it (or in html/ and txt/)")
        return
    naive = [data.naive_text(html) for _, html, _ in pages]
    truths = [t for _, _, t in pages]
    runs = {
        "dedup.clean": [clean(t, CleanConfig(html=False)).text for t in naive],
        "raw naive text": naive,
        "trafilatura (naive text as HTML)": [peers.trafilatura_text(t) for t in naive],
        "jusText (naive text as HTML)": [peers.justext_text(t) for t in naive],
        "trafilatura on the full HTML": [peers.trafilatura_html(html) for _, html, _ in pages],
    }
    print(f"pages {root} ({len(pages)} with a truth), 4-gram F1 of the mean per-page P and R:")
    for name, preds in runs.items():
        sc = data.aeb_score(preds, truths)
        print(f"  {name:34s} P {sc['precision']:.3f} R {sc['recall']:.3f} F1 {sc['f1']:.4f}")
    if per_page:
        for (pid, _, truth), pred in zip(pages, runs["dedup.clean"], strict=True):
            pr = data.shingle_pr(pred, truth)
            print(f"  {pid:30s} dedup P {pr[0]:.3f} R {pr[1]:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-seeds", action="store_true")
    ap.add_argument("--show-pages", action="store_true")
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--no-aeb", action="store_true")
    ap.add_argument("--dump", type=Path, help="write each AEB page's cleaned text and truth here")
    ap.add_argument("--pages", type=Path, help="also score a folder of real pages (<id>.html + <id>.txt truth)")
    ap.add_argument("--per-page", action="store_true", help="with --pages: dedup's P and R on each page")
    args = ap.parse_args()

    texts: list[str] = []
    for name, show in (("seeds", args.show_seeds), ("pages", args.show_pages)):
        s, t = _fixture_score(name, show)
        texts += t
        print(f"{name:6s} P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f} "
              f"mojibake {s.mojibake}  ({len(data.load_clean_fixture(name))} pages)")

    if not args.no_aeb:
        pages = data.load_aeb()
        naive = data.aeb_naive_texts(pages)
        preds = [clean(t, CleanConfig(html=False)).text for t in naive]
        truths = [p.body for p in pages]
        for label, sel in (("all", slice(None)), ("even", slice(0, None, 2)), ("odd", slice(1, None, 2))):
            sc = data.aeb_score(preds[sel], truths[sel])
            print(f"AEB {label:4s} P {sc['precision']:.3f} R {sc['recall']:.3f} F1 {sc['f1']:.4f} "
                  f"({sc['pages']} pages)")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            for i, (pg, pred) in enumerate(zip(pages, preds, strict=True)):
                pr = data.shingle_pr(pred, pg.body)
                (args.dump / f"{i:03d}.out.txt").write_text(
                    f"# P {pr[0]:.3f} R {pr[1]:.3f} {pg.url}\n{pred}\n", encoding="utf-8")
                (args.dump / f"{i:03d}.truth.txt").write_text(pg.body, encoding="utf-8")
                (args.dump / f"{i:03d}.in.txt").write_text(naive[i], encoding="utf-8")

    if args.pages:
        score_page_set(args.pages, args.per_page)

    full = _speed(texts, args.repeats, CleanConfig())
    rules_only = _speed(texts, args.repeats, CleanConfig(repair=False))
    print(f"speed  {full:.3f} ms/page with repair, {rules_only:.3f} ms/page without "
          f"(CPU, median of {args.repeats}, {len(texts)} text pages, "
          f"{sum(map(len, texts)) / len(texts) / 1024:.1f} KiB avg; cleaner {'compiled' if COMPILED else 'pure Python'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
