"""The cleaning pool: its workers' garbage collector, and the parent's left as it was."""

from __future__ import annotations

import gc
import multiprocessing

import pytest

from dedup.config import CleanConfig
from dedup.parallel import WORKER_GC_THRESHOLD, clean_texts, make_pool

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


def _gc_state(_: int) -> tuple[tuple[int, int, int], int]:
    return gc.get_threshold(), gc.get_freeze_count()


@needs_fork
def test_workers_inherit_the_parent_frozen_and_collect_less_often() -> None:
    before = gc.get_threshold()
    pool = make_pool(2)
    assert pool is not None
    try:
        states = list(pool.map(_gc_state, range(4)))
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == before  # the parent as it was
        for threshold, frozen in states:
            assert threshold[0] == WORKER_GC_THRESHOLD
            assert frozen > 1000  # the parent's objects, out of the workers' collections
        texts = ["Home\nNews\nRain returns to the valley after a dry summer, forecasters said on Monday."] * 3
        assert clean_texts(texts, CleanConfig(), pool) == clean_texts(texts, CleanConfig(), None)
    finally:
        pool.shutdown()


@needs_fork
def test_a_caller_that_froze_objects_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        pool = make_pool(2)
        assert pool is not None
        pool.shutdown()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
