"""Cleaning across processes, with results in input order.

Workers are forked where the platform can (Linux): a spawned worker would re-import the caller's
main module, so every script using dedup would need an ``if __name__ == "__main__"`` guard. Workers
only ever run the cleaner (pure Python, never a numba kernel), and the pipeline starts them at the
beginning of a run, before it signs anything, so they inherit no busy threads. Elsewhere the
platform's default start method is used (there, scripts need the usual main guard).

The garbage collector is kept off the parent's objects in the workers: the parent's objects are
frozen (``gc.freeze``) while the workers fork, so a worker's collections never walk (and copy, by
touching their reference counts) what it inherited, and the parent gets them back at once. A
worker, a process of dedup's own, also collects its youngest generation less often (cleaning makes
no reference cycles; see :func:`own_process_gc`, which the command line runs in its own process
too). Measured on the generated 10k corpus with 2 workers: workers' CPU 4.7-5.1 s -> 4.0-4.5 s for
the freeze.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import regex

from .clean import clean, clean_text
from .config import CleanConfig
from .document import Cleaned


def make_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` cleaning processes, or None for in-process work (``workers == 1``)."""
    if workers <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    # Start every worker now, while the parent is small and idle, not at the first batch. A caller
    # that froze objects of its own keeps them frozen: then nothing is frozen or thawed here.
    freeze = gc.isenabled() and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        for _ in pool.map(_ready, range(workers)):
            pass
    finally:
        if freeze:
            gc.unfreeze()
    return pool


#: The first-generation threshold of a process of dedup's own (Python's default is 700).
WORKER_GC_THRESHOLD = 200_000


def own_process_gc() -> None:
    """Collect the youngest generation less often, in a process that runs dedup alone (a worker,
    the command line).

    Cleaning makes no reference cycles: everything it allocates is freed by its count, and a
    collection only walks the objects alive at that moment. Measured with callgrind on the
    generated stream (500 documents, ``clean_text``): 791.8 M instructions at Python's default of
    700, 765.9 M at 20,000, 749.6 M at 50,000, and 749.1 M with the collector off. The older
    generations' thresholds change nothing there and are left as they are. Over a longer stream
    the memo of lines a worker keeps makes each collection longer: cleaning the generated 10k
    corpus twice in one process took 3.06 CPU-s at 50,000 (mean of three), 2.93 at 200,000 and
    2.94 with the collector off; with 2 workers, the workers' CPU fell from 1.74 to 1.69 s (means
    of three alternating runs), perf having put 7.7% of cleaning's samples in the collector.
    """
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(WORKER_GC_THRESHOLD, middle, oldest)


def _start_worker() -> None:
    """Runs first in every worker."""
    own_process_gc()


def _ready(_: int) -> None:
    """A no-op task: submitting it makes the pool start its processes."""


def _clean_text(args: tuple[str, CleanConfig]) -> str:
    text, config = args
    return clean_text(text, config)


#: What :func:`clean_encoded` gives back: the texts in UTF-8 in one bytes, where each ends in it,
#: how many characters each has, and whether each holds a letter or a digit.
Encoded = tuple[bytes, list[int], list[int], list[bool]]

#: A letter or a digit, in any script: a clean text without one is empty.
WORD = regex.compile(r"[\p{L}\p{N}]")


def clean_encoded(texts: Sequence[str], config: CleanConfig, clean: bool = True) -> Encoded:
    """The clean text of each of ``texts`` (the text itself with ``clean=False``) as the pipeline
    takes it: one task of a worker. In UTF-8 (``surrogatepass``) because that is what the pipeline
    signs, stores and hashes; made here, the clean texts cross the pipe as one bytes and the main
    process neither decodes them nor encodes them again to sign them (some 5 us a document, in the
    process that also signs and clusters)."""
    parts: list[bytes] = []
    ends: list[int] = []
    chars: list[int] = []
    words: list[bool] = []
    end = 0
    for text in texts:
        out = clean_text(text, config) if clean else text
        data = out.encode("utf-8", "surrogatepass")
        parts.append(data)
        end += len(data)
        ends.append(end)
        chars.append(len(out))
        words.append(WORD.search(out) is not None)
    return b"".join(parts), ends, chars, words


def clean_many(texts: Sequence[str], config: CleanConfig) -> list[str]:
    """The clean text of each of ``texts``: one task of a worker (or the work itself, in-process)."""
    return [clean_text(t, config) for t in texts]


def _clean_full(args: tuple[str, CleanConfig]) -> Cleaned:
    text, config = args
    return clean(text, config)


def _chunksize(n: int, pool: ProcessPoolExecutor) -> int:
    workers = getattr(pool, "_max_workers", 2)
    return max(1, n // (workers * 8))


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts in order of first sight, and for each input the index of its text among them."""
    first: dict[str, int] = {}
    where = [first.setdefault(t, len(first)) for t in texts]
    return list(first), where


def clean_texts(texts: Sequence[str], config: CleanConfig, pool: ProcessPoolExecutor | None) -> list[str]:
    """The clean text of every input, in order (in-process when ``pool`` is None); a text given more
    than once is cleaned once (cleaning is a function of the text)."""
    distinct, where = _distinct(texts)
    if pool is None:
        done = clean_many(distinct, config)
    else:
        done = list(pool.map(_clean_text, [(t, config) for t in distinct], chunksize=_chunksize(len(distinct), pool)))
    return [done[k] for k in where]


def clean_all(texts: Sequence[str], config: CleanConfig, pool: ProcessPoolExecutor | None) -> list[Cleaned]:
    """Full :class:`Cleaned` results (text and explanation) of every input, in order; a text given
    more than once is cleaned once, and its copies share the (frozen) result."""
    distinct, where = _distinct(texts)
    if pool is None:
        done = [clean(t, config) for t in distinct]
    else:
        done = list(pool.map(_clean_full, [(t, config) for t in distinct], chunksize=_chunksize(len(distinct), pool)))
    return [done[k] for k in where]
