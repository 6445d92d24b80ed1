"""The scorers' logic (../shared/tools/score_clusters.py, score_clean.py), so tests assert the same things
without needing ../shared."""

from __future__ import annotations

import collections
import itertools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf¡-¿]|вЂ|โ€|ยฉ|Â[\xa0-\xbf]|[\u0e00-\u0e7f][€˜™]|Ð[\x80-\xbf]|ï»¿|\ufffd")
_BULLET = re.compile(r"^[\s•·\-\*–—>|]+")


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def pair_scores(gold: dict[str, list[str]], predicted: dict[str, str]) -> tuple[float, float, float]:
    """Pair precision, recall and F1 of predicted cluster labels (id -> label) against gold clusters."""
    by_label: dict[str, list[str]] = {}
    for doc_id, label in predicted.items():
        by_label.setdefault(label, []).append(doc_id)
    gp, pp = _pairs(gold.values()), _pairs(by_label.values())
    tp = len(gp & pp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\xa0", " ")
    line = _BULLET.sub("", line)
    return re.sub(r"\s+", " ", line).strip()


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [n for n in (norm_line(x) for x in path.read_text(encoding="utf-8").splitlines()) if n]


def line_scores(expected_dir: Path, outputs: dict[str, str]) -> dict[str, float]:
    """Micro-averaged line precision/recall/F1 and mojibake line count, as score_clean.py computes them."""
    tot_exp = tot_found = tot_out = tot_ok = tot_moj = 0
    for exp_path in sorted(expected_dir.glob("*.txt")):
        if exp_path.name.endswith(".optional.txt"):
            continue
        doc = exp_path.stem
        expected = collections.Counter(_lines(exp_path))
        optional = collections.Counter(_lines(expected_dir / f"{doc}.optional.txt"))
        output = [n for n in (norm_line(x) for x in outputs[doc].splitlines()) if n]
        for line in output:
            tot_moj += bool(MOJIBAKE.search(line))
            if expected[line] > 0:
                expected[line] -= 1
                tot_found += 1
                tot_ok += 1
            elif optional[line] > 0:
                optional[line] -= 1
                tot_ok += 1
        tot_exp += sum(collections.Counter(_lines(exp_path)).values())
        tot_out += len(output)
    p = tot_ok / tot_out if tot_out else 0.0
    r = tot_found / tot_exp if tot_exp else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "mojibake": tot_moj}
