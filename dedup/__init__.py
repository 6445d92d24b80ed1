"""dedup: clean scraped news pages and cluster their near-duplicates, explaining every decision."""

from __future__ import annotations

from .config import (
    CleanConfig,
    ClusterConfig,
    DedupConfig,
    LSHConfig,
    MinHashConfig,
    ShingleConfig,
    VerifyConfig,
)
from .document import Cleaned, ClusterRecord, Document, Removal, Repair
from .errors import ConfigError, DedupError, InputError

__version__ = "0.1.0"

__all__ = [
    "CleanConfig",
    "Cleaned",
    "ClusterConfig",
    "ClusterRecord",
    "ConfigError",
    "DedupConfig",
    "DedupError",
    "Document",
    "InputError",
    "LSHConfig",
    "MinHashConfig",
    "Removal",
    "Repair",
    "ShingleConfig",
    "VerifyConfig",
    "__version__",
]
