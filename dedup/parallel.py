"""Cleaning across processes, with results in input order.

Workers are forked where the platform can (Linux): a spawned worker would re-import the caller's
main module, so every script using dedup would need an ``if __name__ == "__main__"`` guard. Workers
only ever run the cleaner (pure Python, never a numba kernel), and the pipeline starts them at the
beginning of a run, before it signs anything, so they inherit no busy threads. Elsewhere the
platform's default start method is used (there, scripts need the usual main guard).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from .clean import clean
from .config import CleanConfig
from .document import Cleaned


def make_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` cleaning processes, or None for in-process work (``workers == 1``)."""
    if workers <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(workers, mp_context=context)
    # Start every worker now, while the parent is small and idle, not at the first batch.
    for _ in pool.map(_ready, range(workers)):
        pass
    return pool


def _ready(_: int) -> None:
    """A no-op task: submitting it makes the pool start its processes."""


def _clean_text(args: tuple[str, CleanConfig]) -> str:
    text, config = args
    return clean(text, config).text


def _clean_full(args: tuple[str, CleanConfig]) -> Cleaned:
    text, config = args
    return clean(text, config)


def _chunksize(n: int, pool: ProcessPoolExecutor) -> int:
    workers = getattr(pool, "_max_workers", 2)
    return max(1, n // (workers * 8))


def clean_texts(texts: Sequence[str], config: CleanConfig, pool: ProcessPoolExecutor | None) -> list[str]:
    """The clean text of every input, in order (in-process when ``pool`` is None)."""
    if pool is None:
        return [clean(t, config).text for t in texts]
    return list(pool.map(_clean_text, [(t, config) for t in texts], chunksize=_chunksize(len(texts), pool)))


def clean_all(texts: Sequence[str], config: CleanConfig, pool: ProcessPoolExecutor | None) -> list[Cleaned]:
    """Full :class:`Cleaned` results (text and explanation) of every input, in order."""
    if pool is None:
        return [clean(t, config) for t in texts]
    return list(pool.map(_clean_full, [(t, config) for t in texts], chunksize=_chunksize(len(texts), pool)))
