"""The cleaning pool: its workers' garbage collector, and the parent's left as it was."""

from __future__ import annotations

import gc
import multiprocessing
from itertools import accumulate

import pytest

from dedup.config import CleanConfig
from dedup.document import Document
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


TEXTS = ["Home | News\nThe council voted on Tuesday to repair the harbour bridge.", "", "   \n\n",
         "Subscribe to our newsletter", "数据 ½ \ud800 end", "Ünïcödé wörds, and a line of them."]


def _texts_of(result: tuple, slots, slot: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The clean texts of a Cleaners answer, from its bytes or from its slot."""
    blob, ends = result[0], result[1]
    if blob is None:
        base = slot * slots.size
        blob = slots.map[base:base + (ends[-1] if ends else 0)]
    return [blob[a:b].decode("utf-8", "surrogatepass") for a, b in zip([0, *ends], ends, strict=False)]


@needs_fork
def test_cleaners_clean_through_slots_or_the_pipe_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks that fit in a slot and chunks that do not (sent through the pipe) come back clean,
    each with its lengths, whether it holds a word, and the hash of its UTF-8 bytes."""
    import dedup.parallel as parallel
    from dedup.clean import clean_text

    monkeypatch.setattr(parallel, "SLOT_BYTES", 256)
    config = CleanConfig()
    long_text = "The council voted on Tuesday to repair the harbour bridge. " * 20  # over 256 bytes
    chunks = [TEXTS, [long_text], TEXTS[:2], [], [long_text, "Rain."], TEXTS[::-1]]
    pool = parallel.Cleaners(2, config, depth=2)
    try:
        tickets = []
        for chunk in chunks:
            while not pool.has_room():
                pool.wait()
            tickets.append(pool.submit(chunk))
        fits = [sum(len(t.encode("utf-8", "surrogatepass")) for t in c) <= 256 - parallel.SLOT_PAD for c in chunks]
        assert [t.slot >= 0 for t in tickets] == fits and fits.count(False) == 2
        for chunk, ticket in zip(chunks, tickets, strict=True):
            result: tuple = ticket.result()  # type: ignore[type-arg]
            expected = [clean_text(t, config) for t in chunk]
            if ticket.slot >= 0:
                assert _texts_of(result, pool.slots, ticket.slot) == expected
                assert result[4] == [hash(t.encode("utf-8", "surrogatepass")) for t in expected]
                assert result[2] == [len(t) for t in expected]
            else:
                assert len(result) == 4  # clean_encoded's answer
                assert _texts_of(result, pool.slots, -1) == expected and result[2] == [len(t) for t in expected]
            pool.release(ticket)
        assert pool.held == 0
    finally:
        join = pool.close()
    join()
    assert [p.exitcode for p in pool._procs if p is not None] == [0, 0]  # they left at the end of their pipe


def test_clean_texts_too_long_for_their_slot_come_back_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """clean_in_slot (here in this process) writes the clean texts over the raw ones; when they no
    longer fit, all of them come back in one bytes instead."""
    import dedup.parallel as parallel

    slots = parallel.Slots(2, size=64)
    config = CleanConfig()
    for grow, in_bytes in ((1, False), (8, True)):
        monkeypatch.setattr(parallel, "clean_text", lambda text, config, grow=grow: text * grow)
        put = slots.put(["Rain again.", "Sun."])
        assert put is not None
        result = parallel.clean_in_slot(slots, put[0], put[1], config)
        texts = _texts_of(result, slots, put[0])
        assert texts == ["Rain again." * grow, "Sun." * grow] and (result[0] is not None) == in_bytes
        slots.release(put[0])
    assert slots.put(["x" * 60]) is None  # no room for it and the padding


@needs_fork
def test_a_worker_s_error_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.parallel as parallel

    def failing(text: str, config: CleanConfig) -> str:
        if text == "boom":
            raise ValueError("no cleaning this")
        return text

    monkeypatch.setattr(parallel, "clean_text", failing)  # the workers fork with it
    pool = parallel.Cleaners(2, CleanConfig())
    try:
        good, bad = pool.submit(["fine"]), pool.submit(["boom"])
        assert _texts_of(good.result(), pool.slots, good.slot) == ["fine"]
        with pytest.raises(ValueError, match="no cleaning this"):
            bad.result()
    finally:
        pool.close()()


@needs_fork
def test_a_worker_that_dies_is_reported() -> None:
    import os
    import signal

    import dedup.parallel as parallel

    pool = parallel.Cleaners(1, CleanConfig())
    try:
        first = pool.submit(["Rain."])  # starts the worker
        assert _texts_of(first.result(), pool.slots, first.slot) == ["Rain."]
        proc = pool._procs[0]
        assert proc is not None and proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        with pytest.raises(RuntimeError, match="cleaning worker 0 stopped .exit code -9"):
            pool.submit(["Rain."]).result()  # sending to it fails, or waiting for its answer
    finally:
        pool.close(abandon=True)()


def test_pair_facts_and_copy_texts_read_pairs_as_python_does() -> None:
    """The length and key of an (id, text) pair's text, and copies of such texts: what Python
    gives (the C key: one of its own), from the C module where it is built and from its stand-in
    alike."""
    import dedup.parallel as parallel

    texts = ["plain ascii", "Ünïcödé wörds", "数据 ½ \ud800 end", "", "emoji 🙂 here"]
    docs: list = [(f"d{k}", t) for k, t in enumerate(texts)] + [("bad", 3), ["a", "list"], "a str", ("a", "b", "c")]
    built = parallel.pair_facts is not parallel._pair_facts_py
    for facts, copy in ((parallel.pair_facts, parallel.copy_texts), (parallel._pair_facts_py, parallel._copy_texts_py)):
        got = [facts(d) for d in docs]
        assert [g and g[0] for g in got] == [len(t) for t in texts] + [None] * 4
        if facts is parallel._pair_facts_py or not built:
            assert [g[1] for g in got[:5]] == [hash(t) for t in texts]
        else:  # the C key: a 64-bit hash of the characters, the same for equal texts however made
            keys = [g[1] for g in got[:5]]
            assert len(set(keys)) == 5 and all(-2**63 <= k < 2**63 for k in keys)
            assert [facts(("x", "".join(list(t)))) for t in texts] == got[:5]
        copied = copy(docs, [4, 0, 2, 1, 3])
        assert copied == [texts[i] for i in (4, 0, 2, 1, 3)] and all(type(c) is str for c in copied)
        with pytest.raises(TypeError, match="document 5 is not"):
            copy(docs, [0, 5])
        with pytest.raises(IndexError, match="no document 99"):
            copy(docs, [99])


def test_same_text_compares_pairs_texts() -> None:
    """same_text: whether two list entries are (id, str) pairs with equal texts, in C and in its
    stand-in alike; texts equal but made apart, of one length but not equal, of other widths."""
    import dedup.parallel as parallel

    docs: list = [("a", "x" * 40), ("b", "".join(["x"] * 40)), ("c", "x" * 39 + "y"), ("d", "x" * 39 + "é"),
                  ("e", "数据" * 20), ("f", "数据" * 20), ("g", "x" * 39), Document("h", "x" * 40), ("i", 5), "x" * 40]
    want = {(0, 1), (4, 5)}
    for same in (parallel.same_text, parallel._same_text_py):
        for i in range(len(docs)):
            for j in range(len(docs)):
                assert same(docs, i, j) == (i == j and i < 7 or (min(i, j), max(i, j)) in want), (i, j)
        with pytest.raises(IndexError, match="no document"):
            same(docs, 0, len(docs))


def test_encode_into_writes_utf8_and_facts_as_python_does() -> None:
    """encode_into, in C and in its stand-in alike: each text's UTF-8 (surrogatepass) where it
    goes in the buffer, where each ends, and with facts each text's length, whether it holds an
    ASCII letter or digit (None: none, and not ASCII) and hash() of its bytes; None once a text
    would not fit, an error for a text that is not a str or room past the buffer."""
    import mmap
    import random

    import dedup.parallel as parallel

    rng = random.Random(7)
    alphabet = "ab Z9 .,-'\n" + "éÿ\xa0" + "’“”—数据ß" + "\ud800\udfff" + "🙂𝔘"
    texts = ["plain ascii", "", "Ünïcödé wörds", "数据 ½ \ud800 end", "emoji 🙂 here", "   ", "« — »", "½ ¾",
             "x" * 9 + "é", "’" * 5 + "abcd", "🙂"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(300)]
    texts += ["".join(rng.choice(alphabet[:11]) for _ in range(rng.randrange(40))) + c for c in "é’🙂" for _ in range(20)]
    want = [t.encode("utf-8", "surrogatepass") for t in texts]
    total = sum(map(len, want))
    for encode in (parallel.encode_into, parallel._encode_into_py):
        buf = mmap.mmap(-1, total + 100)
        buf[:] = b"\xee" * len(buf)
        ends, chars, words, hashes = encode(buf, 7, total + 50, texts, True)
        assert buf[:7] == b"\xee" * 7 and buf[7:7 + total] == b"".join(want) and buf[7 + total] == 0xEE
        assert ends == list(accumulate(map(len, want)))
        assert chars == [len(t) for t in texts]
        assert hashes == [hash(w) for w in want]
        for t, w in zip(texts, words, strict=True):
            ascii_word = any(c.isascii() and c.isalnum() for c in t)
            assert w == (True if ascii_word else False if t.isascii() else None), t
        assert encode(buf, 0, total, texts, False) == ends
        assert encode(buf, 0, total - 1, texts, False) is None  # the last text one byte short
        assert encode(buf, 0, 0, [], True) == ([], [], [], [])
        with pytest.raises(TypeError, match="text 1 is not a str"):
            encode(buf, 0, 10, ["a", b"b"], False)
        with pytest.raises(ValueError, match="do not fit"):
            encode(buf, 50, len(buf), ["a"], False)
        buf.close()
