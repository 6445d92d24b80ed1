"""The objects at the edges of the pipeline: documents in, explanations and records out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One input document. ``url``/``source``/``date`` are optional metadata used to pick the copy to keep."""

    id: str
    text: str
    url: str | None = None
    source: str | None = None
    #: ISO 8601 date or datetime; compared as a string, so keep one format per corpus.
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Removal:
    """A line the cleaner dropped: which line (0-based, in the repaired input), the rule and its evidence."""

    line_no: int
    text: str
    rule: str
    evidence: str


@dataclass(frozen=True)
class Repair:
    """A character repair on one line (0-based): what it was, what it became, and which fix did it."""

    line_no: int
    before: str
    after: str
    fix: str


@dataclass(frozen=True)
class Cleaned:
    """The result of :func:`dedup.clean`: the kept text (one paragraph per line) and why the rest went."""

    text: str
    removed: tuple[Removal, ...] = ()
    repairs: tuple[Repair, ...] = ()
    #: ``"text"`` or ``"html"``: how the input was read.
    input_kind: str = "text"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    def to_dict(self) -> dict[str, Any]:
        """``dataclasses.asdict(self)``, built directly (asdict deep-copies every value, some 50 µs a
        record; the fields here are plain strings and numbers)."""
        return {
            "text": self.text,
            "removed": tuple(dict(r.__dict__) for r in self.removed),
            "repairs": tuple(dict(r.__dict__) for r in self.repairs),
            "input_kind": self.input_kind,
        }

    def explain(self) -> str:
        """A human-readable account of every removal and repair."""
        out = []
        for r in self.repairs:
            out.append(f"repair  line {r.line_no + 1:>4} [{r.fix}] {r.before!r} -> {r.after!r}")
        for rm in self.removed:
            out.append(f"removed line {rm.line_no + 1:>4} [{rm.rule}] {rm.evidence}: {rm.text[:100]!r}")
        if not out:
            out.append("nothing removed or repaired")
        return "\n".join(out)


@dataclass(frozen=True)
class ClusterRecord:
    """The verdict on one input document: its cluster and whether it is the copy to keep."""

    id: str
    #: Cluster label: the id of the cluster's representative (a singleton's own id).
    cluster: str
    representative: bool
    duplicate_of: str | None = None
    #: Similarity to the representative (max of Jaccard and qualifying containment); None for the representative.
    similarity: float | None = None
    jaccard: float | None = None
    containment: float | None = None
    #: ``"ok"``; ``"exact"`` (identical clean text to its representative); ``"empty"`` (nothing left after
    #: cleaning); ``"skipped"`` (unreadable or duplicate id; see ``reason``).
    status: str = "ok"
    reason: str | None = None
    cluster_size: int = 1
    source_file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``dataclasses.asdict(self)``, built directly (every field is a plain value)."""
        return dict(self.__dict__)
