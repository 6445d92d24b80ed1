"""Cleaning across processes, with results in input order.

Workers are forked where the platform can (Linux): a spawned worker would re-import the caller's
main module, so every script using dedup would need an ``if __name__ == "__main__"`` guard. Workers
only ever run the cleaner (pure Python, never a numba kernel), and the pipeline starts them at the
beginning of a run, before it signs anything, so they inherit no busy threads. Elsewhere the
platform's default start method is used (there, scripts need the usual main guard).

:class:`Cleaners` is the pipeline's pool of forked workers (the texts through shared
:class:`Slots`, no threads in the parent); :class:`PoolCleaners` the same over a
concurrent.futures pool where workers are not forked; :func:`make_pool` the concurrent.futures pool
that :func:`clean_texts` and :func:`clean_all` map over (``dedup clean``).

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
import mmap
import multiprocessing
import pickle
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import accumulate
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, cast

import regex

from .clean import clean, clean_text
from .clean.lines import native
from .config import CleanConfig
from .document import Cleaned

#: Whether workers are forked here (and so share what the parent mapped before they started).
FORKS = "fork" in multiprocessing.get_all_start_methods()


def _pair_text_py(item: object) -> str | None:
    """The text of an ``(id, str)`` tuple, else None (what the stand-ins below read)."""
    if type(item) is tuple and len(item) == 2 and type(item[1]) is str:
        return cast(str, item[1])
    return None


def _pair_facts_py(item: object) -> tuple[int, int] | None:
    """The length and hash of ``item[1]`` for an ``(id, str)`` tuple, else None (stand-in for
    ``_native.pair_facts``, which takes no reference to the text)."""
    text = _pair_text_py(item)
    return None if text is None else (len(text), hash(text))


def _same_text_py(documents: list[Any], i: int, j: int) -> bool:
    """Whether ``documents[i]`` and ``documents[j]`` are ``(id, str)`` tuples with equal texts
    (stand-in for ``_native.same_text``, which takes no reference to the texts)."""
    n = len(documents)
    if not (0 <= i < n and 0 <= j < n):
        raise IndexError(f"same_text: no document {i} or {j}")
    a, b = _pair_text_py(documents[i]), _pair_text_py(documents[j])
    return a is not None and a == b


def _copy_texts_py(documents: list[Any], indices: list[int]) -> list[str]:
    """``documents[i][1]`` for each of ``indices``, each an ``(id, str)`` tuple (stand-in for
    ``_native.copy_texts``, which copies them without taking references)."""
    out = []
    for i in indices:
        if not 0 <= i < len(documents):
            raise IndexError(f"copy_texts: no document {i}")
        text = _pair_text_py(documents[i])
        if text is None:
            raise TypeError(f"copy_texts: document {i} is not an (id, str) tuple")
        out.append(text)
    return out


def _encode_into_py(buffer: Any, start: int, room: int, texts: list[str], facts: bool) -> Any:
    """``texts`` in UTF-8 (``surrogatepass``) written one after the other into ``buffer`` from
    ``start`` on: where each ends (counted from ``start``), or None once one would end past
    ``start + room``; with ``facts``, ``(ends, chars, words, hashes)``: each text's length, whether
    it holds an ASCII letter or digit (True), holds none and is ASCII (False) or none and is not
    (None), and ``hash`` of its UTF-8 bytes (stand-in for ``_native.encode_into``, which writes the
    characters where they go, with no bytes object between)."""
    if not 0 <= start <= len(buffer) or not 0 <= room <= len(buffer) - start:
        raise ValueError(f"encode_into: {room} bytes from {start} do not fit a buffer of {len(buffer)}")
    ends: list[int] = []
    chars: list[int] = []
    words: list[bool | None] = []
    hashes: list[int] = []
    end = 0
    view = memoryview(buffer).cast("B")  # any writable buffer, as the C function takes (an mmap, an array)
    for k, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"encode_into: text {k} is not a str")
        data = text.encode("utf-8", "surrogatepass")
        at = end + len(data)
        if at > room:
            return None
        view[start + end:start + at] = data
        end = at
        ends.append(end)
        if facts:
            chars.append(len(text))
            words.append(True if _ASCII_ALNUM.search(text) else False if text.isascii() else None)
            hashes.append(hash(data))
    return (ends, chars, words, hashes) if facts else ends


_ASCII_ALNUM = regex.compile(r"[A-Za-z0-9]")

#: The length and a 64-bit key of an (id, text) pair's text; whether two pairs' texts are equal;
#: copies of such texts. In C where the cleaner is built, reading the texts without taking
#: references: an in-memory corpus given to a run is shared copy-on-write with the workers forked
#: from it, and a reference taken to a text writes its page, which is then copied. The C key is a
#: fast hash of the text's characters of its own (a caller compares the texts on a hit), the
#: stand-in's Python's hash.
pair_facts: Callable[[object], tuple[int, int] | None] = native("pair_facts") or _pair_facts_py
same_text: Callable[[list[Any], int, int], bool] = native("same_text") or _same_text_py
copy_texts: Callable[[list[Any], list[int]], list[str]] = native("copy_texts") or _copy_texts_py
#: A chunk's texts written in UTF-8 into a shared slot (and, for clean texts, the facts the main
#: process takes them by), in C where the cleaner is built.
encode_into: Callable[[Any, int, int, list[str], bool], Any] = native("encode_into") or _encode_into_py


def make_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` cleaning processes, or None for in-process work (``workers == 1``)."""
    if workers <= 1:
        return None
    context = multiprocessing.get_context("fork" if FORKS else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    # Start every worker now, while the parent is small and idle, not at the first batch.
    with _frozen():
        for _ in pool.map(_ready, range(workers)):
            pass
    return pool


def may_freeze() -> bool:
    """Whether dedup may freeze this process's objects for a while (``gc.freeze``, thawed by dedup
    itself): not where the collector is off, nor where the caller has frozen objects of its own
    (they stay frozen, and nothing is frozen or thawed)."""
    return gc.isenabled() and gc.get_freeze_count() == 0


@contextmanager
def _frozen() -> Iterator[None]:
    """The parent's objects frozen (``gc.freeze``) while workers fork (see :func:`may_freeze`)."""
    freeze = may_freeze()
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


#: Bytes of shared memory per chunk out for cleaning (a chunk of 200 pages of the generated corpus
#: is some 850 KB of raw text). A chunk too large for one goes through the pipe instead.
SLOT_BYTES = 2 << 20
#: Zero bytes after the clean texts in a slot (the signing kernel reads 8 bytes at a time).
SLOT_PAD = 16
_ZEROS = bytes(SLOT_PAD)


class Slots:
    """Shared memory through which a chunk's raw texts go to a forked worker and its clean texts
    come back, in UTF-8, to be signed where they are: one anonymous shared map, made before the
    workers fork so that they map it too, cut into ``count`` slots of ``size`` bytes
    (:data:`SLOT_BYTES`).

    Through a pipe, a chunk was pickled, written into the pipe 64 KB at a time while the worker
    read it, and unpickled, both ways, and the clean texts were cut into one bytes each to be joined
    again for signing. Here only the slot's number and where each text ends cross the pipe."""

    def __init__(self, count: int, size: int | None = None) -> None:
        self.size = SLOT_BYTES if size is None else size
        self.count = count
        self.map = mmap.mmap(-1, count * self.size)  # MAP_SHARED | MAP_ANONYMOUS
        self._free = list(range(count - 1, -1, -1))

    def put(self, texts: Sequence[str]) -> tuple[int, list[int]] | None:
        """Write ``texts`` in UTF-8 (``surrogatepass``) into a free slot: the slot, and where each
        text ends in it; None when no slot is free or the texts do not fit in one."""
        if not self._free:
            return None
        slot = self._free[-1]
        ends = encode_into(self.map, slot * self.size, self.size - SLOT_PAD, list(texts), False)
        if ends is None:
            return None
        self._free.pop()
        return slot, ends

    def take(self) -> int | None:
        """A free slot, now taken (None if there is none)."""
        return self._free.pop() if self._free else None

    def release(self, slot: int) -> None:
        """``slot`` is free again (its clean texts have been taken)."""
        self._free.append(slot)


def let_go(pool: ProcessPoolExecutor) -> Callable[[], None]:
    """Tell ``pool``'s workers to exit once they are idle, without waiting for them (some 10-14 ms
    with the 10k corpus's memos) and return the wait, to call later. The pool's own thread reaps
    them meanwhile."""
    manager = getattr(pool, "_executor_manager_thread", None)  # set by a started pool (3.9+)
    pool.shutdown(wait=False)
    return manager.join if manager is not None else _nothing


def _nothing() -> None:
    pass


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
    data, ends, chars, words = _answer([clean_text(t, config) for t in texts] if clean else list(texts))
    return b"".join(data), ends, chars, words


def _answer(outs: list[str]) -> tuple[list[bytes], list[int], list[int], list[bool]]:
    """What a worker answers of its clean texts through the pipe: each in UTF-8 (``surrogatepass``),
    where each ends in them joined, its length in characters, and whether it holds a letter or a
    digit."""
    data = [o.encode("utf-8", "surrogatepass") for o in outs]
    return data, list(accumulate(map(len, data))), [len(o) for o in outs], [WORD.search(o) is not None for o in outs]


#: What :func:`clean_in_slot` gives back: the clean texts in one bytes (None: in the slot, from
#: its start, :data:`SLOT_PAD` zero bytes after them), where each ends, its length in characters,
#: whether it holds a letter or a digit, and the hash of its UTF-8 bytes.
InSlot = tuple[bytes | None, list[int], list[int], list[bool], list[int]]


def clean_in_slot(slots: Slots, slot: int, ends: list[int], config: CleanConfig) -> InSlot:
    """Clean the texts :meth:`Slots.put` wrote into ``slot``; their clean texts go back into it
    (over the raw ones, all read first) or, should they not fit, in the bytes returned. The hashes
    are Python's ``hash`` of the UTF-8 bytes, the same in the parent, whose hash key a forked
    worker shares."""
    base = slot * slots.size
    with memoryview(slots.map) as view:
        texts = [str(view[base + a:base + b], "utf-8", "surrogatepass") for a, b in zip([0, *ends], ends, strict=False)]
    return clean_into_slot(slots, slot, texts, config)


def clean_into_slot(slots: Slots, slot: int, texts: list[str], config: CleanConfig) -> InSlot:
    """Clean ``texts`` into ``slot`` as :func:`clean_in_slot` does (``texts`` read already)."""
    outs = [clean_text(t, config) for t in texts]
    pos = slot * slots.size
    facts = encode_into(slots.map, pos, slots.size - SLOT_PAD, outs, True)
    if facts is None:  # too long for the slot: through the pipe
        data, ends, chars, words = _answer(outs)
        return b"".join(data), ends, chars, words, [hash(d) for d in data]
    ends, chars, maybe, hashes = facts
    words = [WORD.search(o) is not None if w is None else w for o, w in zip(outs, maybe, strict=True)]
    end = pos + (ends[-1] if ends else 0)
    slots.map[end:end + SLOT_PAD] = _ZEROS
    return None, ends, chars, words, hashes


#: Chunks a worker of :class:`Cleaners` has at once: the one it cleans and those queued behind it.
DEPTH = 4


class Cleaners:
    """Forked cleaning processes for :meth:`dedup.pipeline.Deduplicator.run`, each fed by the calling
    thread through a pipe of its own, the texts both ways through shared :class:`Slots`.

    A chunk goes to the worker with the fewest chunks (``submit``); each worker cleans its chunks in
    the order sent and answers in that order. A concurrent.futures pool needs two threads of its
    own in the parent, which measured 0.05-0.09 CPU-s per 10,000 documents and, waiting for the
    interpreter lock to hand a finished worker its next chunk, left a core idle 2-10 ms at a time.
    """

    def __init__(self, workers: int, config: CleanConfig, depth: int = DEPTH,
                 documents: list[Any] | None = None) -> None:
        self.depth = depth
        self.config = config
        #: The run's input, when it is a list: the workers, forked from this process, have it too,
        #: and :meth:`submit_listed` sends them only where its documents are.
        self.documents = documents
        #: Chunks sent and not yet released: at most one per slot.
        self.held = 0
        self.slots = Slots(workers * (depth + 3))
        # A worker is forked when it gets its first chunk: the first starts cleaning while the
        # next is forked (a fork of the main process took some 7 ms).
        self._conns: list[Connection | None] = [None] * workers
        self._procs: list[BaseProcess | None] = [None] * workers
        self._queued: list[deque[Ticket]] = [deque() for _ in range(workers)]

    def _start(self, k: int) -> Connection:
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe()
        # The child closes the parent's ends it inherits, its own among them: a pipe ends (and the
        # worker with it) only once no process holds its other end.
        inherited = [c for c in self._conns if c is not None] + [mine]
        proc = context.Process(target=_serve, args=(theirs, inherited, self.slots, self.config, self.documents),
                               name=f"dedup-clean-{k}", daemon=True)
        with _frozen():
            proc.start()
        theirs.close()
        self._conns[k] = mine
        self._procs[k] = proc
        return mine

    def _conn(self, k: int) -> Connection:
        conn = self._conns[k]
        assert conn is not None  # a worker with chunks has started
        return conn

    def has_room(self, depth: int | None = None) -> bool:
        """Whether a worker has fewer than ``depth`` (the pool's) chunks and a slot is free for
        another."""
        return self.held < self.slots.count and min(map(len, self._queued)) < (depth or self.depth)

    def submit(self, texts: list[str]) -> Ticket:
        """Send ``texts`` to the worker with the fewest chunks: through a slot when they fit in one
        (and one is free), else through the pipe."""
        put = self.slots.put(texts)
        return self._send(texts if put is None else put, -1 if put is None else put[0])

    def submit_listed(self, indices: list[int]) -> Ticket:
        """Have the worker with the fewest chunks clean ``documents[i][1]`` for each of ``indices``
        (each an ``(id, str)`` tuple), read from its own copy of the list: only the indices cross
        the pipe, and this process never touches the texts (see :func:`pair_facts`)."""
        assert self.documents is not None
        slot = self.slots.take()
        if slot is None:  # no slot free for the clean texts: all through the pipe
            return self.submit(copy_texts(self.documents, indices))
        return self._send((slot, indices, True), slot)

    def _send(self, task: object, slot: int) -> Ticket:
        k = min(range(len(self._queued)), key=lambda w: len(self._queued[w]))
        conn = self._conns[k] or self._start(k)
        ticket = Ticket(self, k, slot)
        try:
            conn.send(task)
        except OSError:
            if slot >= 0:
                self.slots.release(slot)
            raise self._stopped(k) from None
        self._queued[k].append(ticket)
        self.held += 1
        return ticket

    def wait(self) -> None:
        """Wait until a worker answers (reading every answer that is in)."""
        busy = {self._conn(k): k for k, q in enumerate(self._queued) if q}
        if not busy:
            return
        for conn in wait(list(busy)):
            self._read(busy[cast(Connection, conn)])

    def _read(self, k: int) -> None:
        """Take the answer of worker ``k`` to its oldest chunk."""
        try:
            ok, value = self._conn(k).recv()
        except (EOFError, OSError):
            raise self._stopped(k) from None
        self._queued[k].popleft()._answer(ok, value)

    def _stopped(self, k: int) -> RuntimeError:
        proc = self._procs[k]
        assert proc is not None
        proc.join(1)
        return RuntimeError(f"cleaning worker {k} stopped (exit code {proc.exitcode})")

    def release(self, ticket: Ticket) -> None:
        """The chunk of ``ticket`` has been taken: its slot is free again."""
        self.held -= 1
        if ticket.slot >= 0:
            self.slots.release(ticket.slot)

    def finish(self) -> None:
        """No more chunks: each worker exits once it has answered those it has, while the others
        still clean theirs (an exit took 10-14 ms of a core, with the 10k corpus's memos)."""
        for conn in self._conns:
            if conn is None:
                continue
            try:
                conn.send(None)
            except OSError:  # gone already: reading its answers says so
                pass

    def close(self, abandon: bool = False) -> Callable[[], None]:
        """Let the workers go (they exit once they have read the end of their pipe) without waiting
        for them (some 10-14 ms, with the 10k corpus's memos); returns the wait, to call later.
        ``abandon``: stop them now, whatever they still have to clean (a run that failed)."""
        for conn in self._conns:
            if conn is not None:
                conn.close()
        procs = [proc for proc in self._procs if proc is not None]
        if abandon:
            for proc in procs:
                proc.terminate()

        def join() -> None:
            for proc in procs:
                proc.join(5)
                if proc.is_alive():
                    proc.terminate()
                    proc.join()

        return join


class Ticket:
    """A chunk out for cleaning with :class:`Cleaners`."""

    __slots__ = ("_ok", "_value", "pool", "slot", "worker")

    def __init__(self, pool: Cleaners, worker: int, slot: int) -> None:
        self.pool = pool
        self.worker = worker
        self.slot = slot
        self._ok: bool | None = None
        self._value: Any = None

    def _answer(self, ok: bool, value: Any) -> None:
        self._ok = ok
        self._value = value

    def done(self) -> bool:
        """Whether the answer is in (reading any that have come)."""
        pool = self.pool
        conn = pool._conn(self.worker)
        while self._ok is None and conn.poll():
            pool._read(self.worker)
        return self._ok is not None

    def result(self) -> Encoded | InSlot:
        """The clean texts, waiting for them; a worker's exception is raised here."""
        while self._ok is None:
            self.pool._read(self.worker)
        if not self._ok:
            raise self._value
        return cast("Encoded | InSlot", self._value)


class PoolCleaners:
    """:class:`Cleaners`' interface over a concurrent.futures pool, where workers are not forked
    (the texts then go through its pipes)."""

    def __init__(self, workers: int, config: CleanConfig, depth: int = DEPTH) -> None:
        pool = make_pool(workers)
        assert pool is not None
        self.pool = pool
        self.config = config
        self.workers = workers
        self.depth = depth * workers
        self.limit = (depth + 3) * workers
        self.held = 0
        self._out: list[Future[Encoded]] = []

    def has_room(self, depth: int | None = None) -> bool:
        self._out = [f for f in self._out if not f.done()]
        return len(self._out) < (self.depth if depth is None else depth * self.workers) and self.held < self.limit

    def submit(self, texts: list[str]) -> Future[Encoded]:
        future = self.pool.submit(clean_encoded, texts, self.config)
        self._out.append(future)
        self.held += 1
        return future

    def wait(self) -> None:
        futures.wait(self._out, return_when=futures.FIRST_COMPLETED)

    def release(self, ticket: Future[Encoded]) -> None:
        self.held -= 1

    def finish(self) -> None:
        """No more chunks (the pool's workers are let go by :meth:`close`)."""

    def close(self, abandon: bool = False) -> Callable[[], None]:
        if abandon:
            self.pool.shutdown(wait=False, cancel_futures=True)
        return let_go(self.pool)


def cleaning_pool(workers: int, config: CleanConfig, depth: int = DEPTH,
                  documents: list[Any] | None = None) -> Cleaners | PoolCleaners:
    """The pool :meth:`dedup.pipeline.Deduplicator.run` cleans with (``workers`` > 1), ``depth``
    chunks out per worker at most; ``documents``, the run's input when it is a list."""
    return Cleaners(workers, config, depth, documents) if FORKS else PoolCleaners(workers, config, depth)


def _serve(conn: Connection, inherited: list[Connection], slots: Slots, config: CleanConfig,
           documents: list[Any] | None) -> None:
    """A worker of :class:`Cleaners`: answers each chunk its pipe brings until the pipe ends."""
    for other in inherited:
        other.close()
    own_process_gc()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the end of the pipe: let go, or the parent gone
            return
        if task is None:  # no more chunks (Cleaners.finish)
            return
        try:
            if isinstance(task, tuple) and len(task) == 3:  # Cleaners.submit_listed
                assert documents is not None
                answer: tuple[bool, Any] = (True, clean_into_slot(slots, task[0], copy_texts(documents, task[1]), config))
            elif isinstance(task, tuple):
                answer = (True, clean_in_slot(slots, task[0], task[1], config))
            else:
                answer = (True, clean_encoded(task, config))
        except Exception as exc:  # noqa: BLE001 (raised again in the parent, by Ticket.result)
            answer = (False, _portable(exc))
        try:
            conn.send(answer)
        except OSError:  # the parent no longer wants it (it let go without waiting, or is gone)
            return


def _portable(exc: Exception) -> Exception:
    """``exc`` as it can cross the pipe, with the worker's traceback in its message if need be."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        return RuntimeError(f"cleaning failed in a worker:\n{text}")
    note = getattr(exc, "add_note", None)  # Python 3.11+
    if note is not None:
        note(f"in the cleaning worker:\n{text}")
    return exc


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
