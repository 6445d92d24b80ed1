"""Frozen, typed settings: one dataclass per stage, gathered in :class:`DedupConfig`.

Every random choice (hash seeds, permutations) comes from here, so the same config on the same
input gives the same output on any machine, batch size or worker count.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class CleanConfig:
    """Settings of the cleaner (``dedup.clean``)."""

    #: Clean before matching. Off for corpora that are already clean text (e.g. newswire bodies).
    enabled: bool = True
    #: ``None`` detects HTML from the text itself; ``True``/``False`` force it.
    html: bool | None = None
    #: Drop lines whose vocabulary does not cohere with the rest of the document.
    offtopic: bool = True
    #: Repair mojibake and odd characters before judging lines.
    repair: bool = True

    def __post_init__(self) -> None:
        if self.html not in (None, True, False):
            raise ConfigError("clean.html must be None (detect), True or False")


@dataclass(frozen=True)
class ShingleConfig:
    """How cleaned text becomes the set of features compared between documents."""

    #: Words per shingle.
    ngram: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.ngram <= 16:
            raise ConfigError(f"shingle.ngram={self.ngram}: use a word n-gram size from 1 to 16 (5 suits news)")


@dataclass(frozen=True)
class MinHashConfig:
    """MinHash signature settings."""

    num_perm: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        if not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"minhash.num_perm={self.num_perm}: use 16 to 1024 (128 is a good default)")
        if self.seed < 0:
            raise ConfigError(f"minhash.seed={self.seed}: the seed must be a non-negative integer")


@dataclass(frozen=True)
class LSHConfig:
    """Banding. ``bands``/``rows`` default to datasketch's optimum for ``threshold``."""

    #: Jaccard similarity the banding is tuned to catch (lower than the verify threshold, for recall).
    threshold: float = 0.4
    #: Weights of false positives and false negatives in the optimiser; false negatives cost more.
    false_positive_weight: float = 0.2
    false_negative_weight: float = 0.8
    bands: int | None = None
    rows: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"lsh.threshold={self.threshold}: must lie strictly between 0 and 1")
        if (self.bands is None) != (self.rows is None):
            raise ConfigError("lsh.bands and lsh.rows go together: set both or neither")


@dataclass(frozen=True)
class VerifyConfig:
    """Which candidate pairs count as duplicates, judged on the exact shingle sets."""

    #: Minimum exact Jaccard similarity of two copies.
    jaccard: float = 0.5
    #: Minimum containment of the smaller copy in the larger (truncated copies, added paragraphs).
    containment: float = 0.8
    #: A containment match also needs at least this Jaccard (the Jaccard threshold minus 0.1), so a
    #: short snippet cannot join a long story and no reported pair is far below the threshold.
    containment_min_jaccard: float = 0.4

    def __post_init__(self) -> None:
        for name in ("jaccard", "containment", "containment_min_jaccard"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"verify.{name}={value}: must lie in (0, 1]")


@dataclass(frozen=True)
class ClusterConfig:
    """Clustering and the choice of the copy to keep."""

    #: ``"complete"`` keeps the most complete clean copy; ``"earliest"`` the earliest dated one.
    representative: str = "complete"
    #: Sources preferred as representative, most preferred first (matched against ``Document.source``).
    prefer_sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.representative not in ("complete", "earliest"):
            raise ConfigError(
                f"cluster.representative={self.representative!r}: use 'complete' or 'earliest'"
            )


@dataclass(frozen=True)
class DedupConfig:
    """All settings of a run. Serialisable with :meth:`to_dict` / :meth:`from_dict`."""

    clean: CleanConfig = field(default_factory=CleanConfig)
    shingle: ShingleConfig = field(default_factory=ShingleConfig)
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    lsh: LSHConfig = field(default_factory=LSHConfig)
    verify: VerifyConfig = field(default_factory=VerifyConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    #: Documents read, cleaned and signed per batch (bounds memory; never changes results).
    batch_size: int = 10_000
    #: Processes used for cleaning and signing (never changes results).
    workers: int = 1

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(f"batch_size={self.batch_size}: must be at least 1")
        if self.workers < 1:
            raise ConfigError(f"workers={self.workers}: must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupConfig:
        sections = {
            "clean": CleanConfig, "shingle": ShingleConfig, "minhash": MinHashConfig,
            "lsh": LSHConfig, "verify": VerifyConfig, "cluster": ClusterConfig,
        }
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in sections:
                if not isinstance(value, dict):
                    raise ConfigError(f"config section {key!r} must be a mapping")
                if key == "cluster" and "prefer_sources" in value:
                    value = {**value, "prefer_sources": tuple(value["prefer_sources"])}
                try:
                    kwargs[key] = sections[key](**value)
                except TypeError as exc:
                    raise ConfigError(f"config section {key!r}: {exc}") from None
            elif key in ("batch_size", "workers"):
                kwargs[key] = value
            else:
                raise ConfigError(f"unknown config key {key!r}")
        return cls(**kwargs)
