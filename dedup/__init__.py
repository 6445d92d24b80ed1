"""dedup: clean scraped news pages and cluster their near-duplicates, explaining every decision.

>>> import dedup
>>> dedup.repair("Chinaâ€™s plan")
'China’s plan'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clean import clean, clean_html, clean_text
from .clean.repair import repair
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

if TYPE_CHECKING:
    from .pipeline import Deduplicator, Summary, cluster_documents, document_signature

__version__ = "0.1.0"

# The clustering half imports numba; load it only when asked for, so `dedup.clean` stays light.
_LAZY = {"Deduplicator", "Summary", "cluster_documents", "document_signature"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")


__all__ = [
    "CleanConfig",
    "Cleaned",
    "ClusterConfig",
    "ClusterRecord",
    "ConfigError",
    "DedupConfig",
    "DedupError",
    "Deduplicator",
    "Document",
    "InputError",
    "LSHConfig",
    "MinHashConfig",
    "Removal",
    "Repair",
    "ShingleConfig",
    "Summary",
    "VerifyConfig",
    "__version__",
    "clean",
    "clean_html",
    "clean_text",
    "cluster_documents",
    "document_signature",
    "repair",
]
