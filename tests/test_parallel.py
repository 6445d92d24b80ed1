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


def test_a_text_given_twice_is_cleaned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """clean_texts and clean_all clean each distinct text once and give every copy its result, in order."""
    import dedup.parallel as parallel
    from dedup.clean import clean

    story = "Home\nNews\nRain returns to the valley after a dry summer, forecasters said on Monday."
    other = "Sport\nThe home side won the derby three goals to one in front of a full stadium on Sunday."
    texts = [story, other, story, story, other]
    seen: list[str] = []
    real_many, real_clean = parallel.clean_many, parallel.clean

    def many(batch, config):  # type: ignore[no-untyped-def]
        seen.extend(batch)
        return real_many(batch, config)

    def one(text, config):  # type: ignore[no-untyped-def]
        seen.append(text)
        return real_clean(text, config)

    monkeypatch.setattr(parallel, "clean_many", many)
    monkeypatch.setattr(parallel, "clean", one)
    config = CleanConfig()
    assert parallel.clean_texts(texts, config, None) == [clean(t, config).text for t in texts]
    assert seen == [story, other]
    seen.clear()
    results = parallel.clean_all(texts, config, None)
    assert [r.text for r in results] == [clean(t, config).text for t in texts]
    assert results[0] is results[2] and results == [clean(t, config) for t in texts]
    assert seen == [story, other]


def test_clean_encoded_is_the_clean_texts_in_utf8() -> None:
    """What a worker sends back: the clean texts in UTF-8 (lone surrogates passed through), where
    each ends, its length in characters and whether it holds a letter or digit; the texts as
    they are with clean=False."""
    from dedup.clean import clean_text
    from dedup.parallel import clean_encoded

    texts = ["Home | News\nThe council voted on Tuesday to repair the harbour bridge.", "", "   \n\n",
             "Subscribe to our newsletter", "数据 ½ \ud800 end", "Ünïcödé wörds."]
    config = CleanConfig()
    for clean in (True, False):
        blob, ends, chars, words = clean_encoded(texts, config, clean)
        starts = [0, *ends[:-1]]
        outs = [blob[a:b].decode("utf-8", "surrogatepass") for a, b in zip(starts, ends, strict=True)]
        expected = [clean_text(t, config) for t in texts] if clean else texts
        assert outs == expected and ends[-1] == len(blob)
        assert chars == [len(t) for t in expected]
        assert words == [any(c.isalnum() for c in t) for t in expected]
    assert clean_encoded([], config) == (b"", [], [], [])
