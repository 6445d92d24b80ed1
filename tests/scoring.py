"""The scorers' logic (../shared/tools/score_clusters.py, score_clean.py), so tests assert the same things
without needing ../shared."""

from __future__ import annotations

import collections
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dedup.clean import clean


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



#: Typical mojibake sequences; an output line holding one was not repaired.
MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf¡-¿]|вЂ|โ€|ยฉ|Â[\xa0-\xbf]|[\u0e00-\u0e7f][€˜™]|Ð[\x80-\xbf]|ï»¿|\ufffd")
_BULLET = re.compile(r"^[\s•·\-\*–—>|]+")
_SPACE = re.compile(r"\s+")


def norm(line: str) -> str:
    """A line as the scorer compares it: NFC, NBSP folded, bullets stripped, whitespace collapsed."""
    line = unicodedata.normalize("NFC", line).replace("\xa0", " ")
    return _SPACE.sub(" ", _BULLET.sub("", line)).strip()


def norm_lines(text: str) -> list[str]:
    return [n for n in (norm(ln) for ln in text.splitlines()) if n]


@dataclass
class Score:
    """Micro-averaged line precision/recall over a set of pages, with what went wrong."""

    expected: int = 0
    found: int = 0
    output: int = 0
    ok: int = 0
    mojibake: int = 0
    kept_bad: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.ok / self.output if self.output else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, name: str, output_text: str, expected_text: str, optional_text: str = "") -> None:
        """Score one page: expected lines must survive, optional ones may, anything else is junk."""
        expected = collections.Counter(norm_lines(expected_text))
        optional = collections.Counter(norm_lines(optional_text))
        output = norm_lines(output_text)
        for line in output:
            if MOJIBAKE.search(line):
                self.mojibake += 1
            if expected[line] > 0:
                expected[line] -= 1
                self.found += 1
                self.ok += 1
            elif optional[line] > 0:
                optional[line] -= 1
                self.ok += 1
            else:
                self.kept_bad.append(f"{name}: {line[:100]}")
        self.lost.extend(f"{name}: {ln[:100]}" for ln, c in expected.items() for _ in range(c))
        self.expected += sum(collections.Counter(norm_lines(expected_text)).values())
        self.output += len(output)

    def report(self) -> str:
        lines = [f"precision={self.precision:.4f} recall={self.recall:.4f} f1={self.f1:.4f} mojibake={self.mojibake}"]
        lines += [f"  + kept: {x}" for x in self.kept_bad] + [f"  - lost: {x}" for x in self.lost]
        return "\n".join(lines)


def score_pages(pages_dir: Path, expected_dir: Path) -> Score:
    """Clean every page that has an expectation (``<id>.txt`` or ``<id>.html``) and score the lot."""
    outputs = {}
    for exp in sorted(expected_dir.glob("*.txt")):
        if exp.name.endswith(".optional.txt"):
            continue
        sources = [p for p in (pages_dir / f"{exp.stem}.txt", pages_dir / f"{exp.stem}.html") if p.exists()]
        assert sources, f"no input page for {exp.name}"
        outputs[exp.stem] = clean(sources[0].read_text(encoding="utf-8")).text
    return score_outputs(expected_dir, outputs)


def score_outputs(expected_dir: Path, outputs: dict[str, str]) -> Score:
    """Score already-cleaned outputs (``{doc id: text}``) against ``expected_dir``."""
    score = Score()
    for exp in sorted(expected_dir.glob("*.txt")):
        if exp.name.endswith(".optional.txt"):
            continue
        opt = expected_dir / f"{exp.stem}.optional.txt"
        score.add(exp.stem, outputs.get(exp.stem, ""), exp.read_text(encoding="utf-8"),
                  opt.read_text(encoding="utf-8") if opt.exists() else "")
    return score
