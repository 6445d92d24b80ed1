"""The one place that strings the stages together: read -> clean -> sign -> band -> verify -> cluster.

Memory stays flat as the corpus grows: documents stream in batches; per batch only the band keys
(``bands`` uint64 per document) stay in memory, while each document's shingle hashes (for exact
verification) and, on request, its clean text are spilled to a temporary folder and read back in
bounded chunks. Results never depend on the batch size or the number of workers.
"""

from __future__ import annotations

import gc
import os
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from .clean import clean_text
from .config import DedupConfig
from .document import ClusterRecord, Document
from .io import BadRecord
from .lsh import lsh_params
from .parallel import (
    SLOT_PAD,
    WORD,
    Cleaners,
    Encoded,
    InSlot,
    clean_many,
    cleaning_pool,
    may_freeze,
    pair_facts,
    same_text,
)

DocumentLike = Document | BadRecord | tuple[str, str] | str | Mapping[str, Any]

# Input status codes kept per document in a compact array.
_OK, _EXACT, _EMPTY, _SKIPPED = 0, 1, 2, 3
#: Documents a cleaning worker gets at a time (at most ``batch_size``).
CLEAN_CHUNK = 200
#: Chunks out for cleaning at once, per worker: enough that a worker never waits for the next.
IN_FLIGHT = 4
#: The last two chunks of a run with workers go out in pieces of ``CLEAN_CHUNK // FINAL_PIECES``.
FINAL_PIECES = 4
#: New documents signed together (at most ``batch_size``): the signing kernel's own chunk
#: (``signature.CHUNK_DOCS``; a test holds them equal).
SIGN_CHUNK = 2048
#: While a run reads its input, what has lived this many documents is frozen (see :class:`_Freezer`).
FREEZE_EVERY = 10_000
#: Candidate pairs verified per read of the shingle store: bounds the documents held in memory at once.
_VERIFY_CHUNK = 25_000
#: A shingle store up to this size is read whole for the verification, once, instead of each
#: chunk's documents one ``pread`` each (11,700 of them on the 10k corpus: 19 ms of the 72 ms a
#: run spends after its last document is cleaned, with one core idle). The bound keeps memory
#: flat as the corpus grows: a store this size holds some 25,000 documents of 600 words.
_READ_WHOLE_BYTES = 64 << 20


@dataclass
class Summary:
    """What a run did, for the end-of-run report."""

    documents: int = 0
    clusters: int = 0
    kept: int = 0
    duplicates: int = 0
    exact_duplicates: int = 0
    empty: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"documents: {self.documents}",
            f"clusters: {self.clusters} (kept {self.kept} representatives)",
            f"duplicates removed: {self.duplicates} (of which exact: {self.exact_duplicates})",
            f"empty after cleaning: {self.empty}",
            f"skipped inputs: {len(self.skipped)}",
        ]
        lines += [f"  skipped {doc_id}: {reason}" for doc_id, reason in self.skipped[:50]]
        if len(self.skipped) > 50:
            lines.append(f"  ... and {len(self.skipped) - 50} more (see the output records)")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Listed(Document):
    """An ``(id, text)`` pair of the list a run with forked workers was given, whose text this
    process never touches: the workers read it from their own copy of the list (see
    :meth:`~dedup.parallel.Cleaners.submit_listed`). ``text`` is left empty; ``index`` is where the
    pair is in the list, ``length`` and ``key`` its text's length and hash."""

    index: int = -1
    length: int = 0
    key: int = 0


def _listed(doc_id: object, index: int, facts: tuple[int, int]) -> _Listed:
    """``_Listed(...)`` without the frozen dataclass's ``__init__`` (as :func:`_record` does)."""
    d = _new(_Listed)
    d.__dict__.update(id=doc_id if type(doc_id) is str else str(doc_id), text="", url=None, source=None, date=None,
                      meta={}, index=index, length=facts[0], key=facts[1])
    return d


def to_document(item: DocumentLike, index: int) -> Document | BadRecord:
    """Accept the shapes a caller is likely to have: Document, (id, text), a bare string, or a mapping."""
    if isinstance(item, (Document, BadRecord)):
        return item
    if isinstance(item, str):
        return Document(id=str(index), text=item)
    if isinstance(item, tuple) and len(item) == 2:
        doc_id, text = item
        if not isinstance(text, str):
            return BadRecord(str(doc_id), f"record {index}", f"text is not a string ({type(text).__name__})")
        return Document(id=str(doc_id), text=text)
    if isinstance(item, Mapping):
        record_id = str(item.get("id", index))
        body = item.get("text")
        if not isinstance(body, str):
            return BadRecord(record_id, f"record {index}", "text field is missing or not a string")

        def opt(key: str) -> str | None:
            value = item.get(key)
            return None if value is None else str(value)

        return Document(id=record_id, text=body, url=opt("url"), source=opt("source"), date=opt("date"))
    return BadRecord(str(index), f"record {index}", f"cannot read a {type(item).__name__} as a document")


class _SpillStore:
    """Per-document arrays or texts appended, read back by offsets: held in memory while they take
    up to ``memory_bytes`` (:data:`_READ_WHOLE_BYTES`), then all written to a file, and the rest
    appended to it, so memory stays flat as the corpus grows. On the generated 10k corpus the
    shingle hashes (24 MB) were written out during the run and read back whole for the
    verification: 10 ms of the ~50 a run spends after its last document is cleaned, with one core
    idle."""

    def __init__(self, path: Path, dtype: Any, memory_bytes: int | None = None) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self._memory = _READ_WHOLE_BYTES if memory_bytes is None else memory_bytes
        self._held = np.empty(0, dtype=self.dtype)  # the values while in memory (grows by doubling)
        self._handle: Any = None  # the file, once spilled
        self._spilled = False
        self._ends: list[np.ndarray] = []
        self._total = 0
        self.offsets = np.zeros(1, dtype=np.int64)

    def append(self, values: np.ndarray, local_offsets: np.ndarray) -> None:
        values = values.astype(self.dtype, copy=False)
        total = self._total + len(values)
        if not self._spilled and total * self.dtype.itemsize > self._memory:
            self._handle = open(self.path, "wb")  # noqa: SIM115 - closed in finish()
            self._held[: self._total].tofile(self._handle)
            self._held = np.empty(0, dtype=self.dtype)
            self._spilled = True
        if self._spilled:
            values.tofile(self._handle)
        else:
            if total > len(self._held):
                # The first values: room for all the store may hold in memory, taken at once (it
                # spills before outgrowing it). The pages are the system's to map as they are
                # first written (untouched, they cost no memory), and no values are ever copied to
                # a bigger array. Grown by doubling, the store copied what it held at every step
                # and faulted in every new array afresh: 2,700-12,000 page faults and 22-77 ms of
                # the main process per 10k documents, against 23 faults and 3 ms (the generated
                # corpus, 2 workers).
                self._held = np.empty(max(total, self._memory // self.dtype.itemsize + 1), dtype=self.dtype)
            self._held[self._total:total] = values
        self._ends.append(local_offsets[1:].astype(np.int64) + self._total)
        self._total = total

    def finish(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self.offsets = np.concatenate([np.zeros(1, dtype=np.int64), *self._ends])
        self._ends = []

    def nbytes(self) -> int:
        """The size of what the store holds."""
        return int(self.offsets[-1]) * self.dtype.itemsize

    def read_all(self) -> np.ndarray:
        """Every value the store holds, in one array (``offsets`` index it)."""
        if not self._spilled:
            return self._held[: self._total]
        return np.fromfile(self.path, dtype=self.dtype, count=int(self.offsets[-1]))

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The values of ``rows`` (sorted, unique) in one compact array (read from the file, if
        the store is there).

        Returns ``(values, offsets)`` with row ``rows[k]`` at ``values[offsets[k]:offsets[k + 1]]``.
        Reads are explicit (``pread``) rather than a memory map: mapped file pages count as resident
        memory, and the kernel maps 64 KB around every random fault, so a map of a large store
        balloons the resident set even when only a few values per page are read.
        """
        item = self.dtype.itemsize
        starts = self.offsets[rows]
        lengths = self.offsets[rows + 1] - starts
        local = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=local[1:])
        if not self._spilled:
            held = self._held
            parts_held = [held[s:s + n] for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
            return (np.concatenate(parts_held) if parts_held else np.zeros(0, dtype=self.dtype)), local
        fd = os.open(self.path, os.O_RDONLY)
        try:
            parts = [os.pread(fd, int(n) * item, int(s) * item)
                     for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
        finally:
            os.close(fd)
        return np.frombuffer(b"".join(parts), dtype=self.dtype), local


def _load_kernels() -> None:
    """Import the numba half of the pipeline (signing, banding, verification, clustering) and load
    the signing kernels from numba's cache.

    Not at import: that is some 0.6 s of a command's start-up (numba itself, then its kernels). A
    run with cleaning workers does it once its first chunks are out for cleaning (see
    :meth:`Deduplicator.run`), so the workers clean meanwhile, and they fork without numba in them.
    The stages import their modules where they use them; after this, that is a dictionary lookup.
    """
    global _kernels_loaded
    if _kernels_loaded:
        return
    from . import signature
    from .config import MinHashConfig, ShingleConfig

    # One small document through the signing kernels loads them (the first load costs most: numba
    # sets up its compiler then), as the first real chunk would have.
    signature.sign_batch(["loading the kernels"], ShingleConfig(), MinHashConfig(), num_threads=1)
    _kernels_loaded = True


_kernels_loaded = False


class Deduplicator:
    """Clusters near-duplicate documents. Reusable; every call to :meth:`run` is independent.

    >>> from dedup import Deduplicator
    >>> story = "The central bank raised its main interest rate by half a point on Tuesday, " * 3
    >>> records = list(Deduplicator().run([("a", story), ("b", story + " Reuters"), ("c", "Rain.")]))
    >>> [(r.id, r.cluster, r.representative) for r in records]
    [('a', 'a', True), ('b', 'a', False), ('c', 'c', True)]
    """

    def __init__(
        self,
        config: DedupConfig | None = None,
        *,
        progress: Callable[[int], None] | None = None,
        keep_text: bool = False,
    ) -> None:
        self.config = config or DedupConfig()
        self.progress = progress
        self.keep_text = keep_text
        self.summary = Summary()
        self._texts: _SpillStore | None = None
        self._text_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        #: The run's input list, while its pairs' texts are read by the workers (see _Listed).
        self._listed: list[Any] | None = None

    # -- the run ----------------------------------------------------------------------------------
    def run(self, documents: Iterable[DocumentLike]) -> Iterator[ClusterRecord]:
        """Cluster ``documents``; yields one record per input document, in input order.

        Documents are cleaned in chunks of :data:`CLEAN_CHUNK` (at most ``batch_size``), up to
        :data:`IN_FLIGHT` chunks per worker at a time, while this process reads on and signs what
        has come back: reading, cleaning and signing overlap. Chunks are taken back in input
        order, so nothing depends on which chunk a worker finishes first, and their new documents
        signed as each comes back (in-process, ``min(batch_size, SIGN_CHUNK)`` at a time). The last
        two chunks go to the workers in pieces (:data:`FINAL_PIECES`), and the workers exit while
        this process clusters.
        """
        cfg = self.config
        self.summary = Summary()
        bands, rows = lsh_params(cfg.lsh, cfg.minhash.num_perm)
        with tempfile.TemporaryDirectory(prefix="dedup-") as tmp:
            state = _RunState()
            hashes = _SpillStore(Path(tmp) / "hashes.u32", np.uint32)
            self._texts = _SpillStore(Path(tmp) / "texts.utf8", np.uint8) if self.keep_text else None
            signer = _Signer(self, hashes, bands, rows)
            # A list's (id, text) pairs are read by the workers from their own copy of it (see _Listed).
            listed = documents if type(documents) is list else None
            pool = cleaning_pool(cfg.workers, cfg.clean, IN_FLIGHT, listed) if cfg.clean.enabled and cfg.workers > 1 else None
            if not isinstance(pool, Cleaners):
                listed = None
            self._listed = listed
            # Forked workers take their chunks and give back the clean texts through shared memory.
            slots = pool.slots if isinstance(pool, Cleaners) else None
            if slots is not None:
                signer.block = np.frombuffer(slots.map, dtype=np.uint8)
            chunk_size = min(cfg.batch_size, CLEAN_CHUNK)
            in_flight: deque[tuple[list[Document], list[int], Any]] = deque()
            raw = _Copies() if cfg.clean.enabled else None
            reaped: Callable[[], None] | None = None

            def send(chunk: list[Document], depth: int | None = None) -> None:
                """Clean a chunk here, or hand it to a worker (once one has fewer than ``depth``
                chunks, the pool's depth by default); a copy of an earlier raw text is not cleaned
                again (see :class:`_Copies`)."""
                copies = [-1] * len(chunk) if raw is None else [
                    raw.first_pair(cast(list, listed), cast(_Listed, d)) if type(d) is _Listed
                    else raw.first(d.text, state.seen_ids[d.id]) for d in chunk]
                new = [d for d, c in zip(chunk, copies, strict=True) if c < 0]
                if listed is None:
                    texts = [d.text for d in new]
                elif all(type(d) is _Listed for d in new):
                    texts = []
                else:  # a chunk of pairs and other documents
                    texts = [self._raw_text(d) for d in new]
                if pool is None:
                    # In this process the texts stay str: signing them (sign_batch) encodes each chunk
                    # on a helper thread while the kernel signs the one before.
                    cleaned = clean_many(texts, cfg.clean) if cfg.clean.enabled else texts
                    self._take(chunk, copies, cleaned, state, signer)
                else:
                    while not pool.has_room(depth):
                        _load_kernels()  # while the workers clean what they have
                        pool.wait()
                        take_back(len(in_flight))
                    ticket: Any
                    if listed is not None and new and not texts:
                        ticket = cast(Cleaners, pool).submit_listed([cast(_Listed, d).index for d in new])
                    else:
                        ticket = pool.submit(texts)
                    in_flight.append((chunk, copies, ticket))

            def take_back(keep: int) -> None:
                """Take back the chunks that are done, oldest first, waiting while more than ``keep``
                are out."""
                while in_flight and (len(in_flight) > keep or in_flight[0][2].done()):
                    assert pool is not None  # chunks are out only to a pool
                    done, copies, ticket = in_flight.popleft()
                    slot = getattr(ticket, "slot", -1)
                    self._take(done, copies, ticket.result(), state, signer,
                               -1 if slots is None or slot < 0 else slot * slots.size)
                    # Signed as it comes back (and so, from its slot): on one thread the kernel is no
                    # slower for a chunk than for SIGN_CHUNK texts, and the run then never ends with
                    # up to SIGN_CHUNK - 1 texts to sign while the workers' cores are idle.
                    signer.flush()
                    pool.release(ticket)

            freezer = _Freezer()
            try:
                chunk: list[Document] = []
                held: list[Document] = []
                for index, item in enumerate(documents):
                    freezer.tick(index)
                    facts = None if listed is None else pair_facts(item)
                    doc = to_document(item, index) if facts is None else _listed(cast(tuple, item)[0], index, facts)
                    if isinstance(doc, BadRecord):
                        state.add_bad(doc)
                        continue
                    if doc.id in state.seen_ids:
                        first = state.seen_ids[doc.id]
                        state.add_bad(BadRecord(doc.id, str(doc.meta.get("source_file", f"record {index}")),
                                                f"duplicate id (first used by input #{first + 1})"))
                        continue
                    state.seen_ids[doc.id] = len(state.ids)
                    chunk.append(doc)
                    state.add_pending(doc)
                    if len(chunk) >= chunk_size:
                        if pool is None:
                            send(chunk)
                        else:
                            # A full chunk goes out once the next one is full too, so that the last
                            # two can go out in smaller pieces (below); at once while a worker would
                            # wait for it.
                            if held:
                                send(held)
                            held = chunk
                            if len(in_flight) < cfg.workers:
                                send(held)
                                held = []
                            take_back(len(in_flight))
                        chunk = []
                # The input's last documents in pieces, each to the first worker down to its last
                # chunk: the workers then finish within a piece of each other, not a whole chunk
                # (some 30 ms of one core idle at the end of a run).
                rest = held + chunk
                piece = chunk_size if pool is None else max(1, chunk_size // FINAL_PIECES)
                for start in range(0, len(rest), piece):
                    send(rest[start:start + piece], 2)
                if pool is not None:
                    pool.finish()  # each worker exits once its last chunk is answered
                take_back(0)
                if pool is not None:
                    # The workers exit on the other core while this one goes on to cluster.
                    reaped = pool.close()
            finally:
                freezer.thaw()
                if pool is not None and reaped is None:
                    pool.close(abandon=True)()
            signer.flush()
            hashes.finish()
            if self._texts is not None:
                self._texts.finish()
            try:
                yield from self._cluster_and_report(state, hashes, signer.key_batches)
            finally:
                self._listed = None
                if reaped is not None:
                    reaped()

    def _take(self, batch: list[Document], copies: list[int], cleaned: Encoded | InSlot | list[str],
              state: _RunState, signer: _Signer, base: int = -1) -> None:
        """Book a chunk's clean texts in input order: empty, an exact copy of an earlier text, or new
        (handed to ``signer``). ``copies[k]`` is the input index of the first document with the raw
        text of ``batch[k]`` (-1 if none came before); ``cleaned`` holds the others' clean texts: as
        str (cleaned in this process), or in UTF-8 from a worker, as
        :func:`~dedup.parallel.clean_encoded` gives them or, with ``base`` the offset of their slot
        in the shared slots, as :func:`~dedup.parallel.clean_in_slot` does."""
        cfg = self.config
        texts = _as_taken(cleaned, base)
        for doc, copy_of in zip(batch, copies, strict=True):
            input_index = state.seen_ids[doc.id]
            if copy_of >= 0:
                # Cleaned already, as an earlier document: it ends as that one did.
                if state.status[copy_of] == _EMPTY:
                    state.status[input_index] = _EMPTY
                    state.reasons[input_index] = state.reasons[copy_of]
                else:
                    u = state.uniq[copy_of]
                    state.status[input_index] = _EXACT
                    state.uniq[input_index] = u
                    state.consider_best(u, input_index, doc, cfg)
                continue
            text, length, has_word, key, size = next(texts)
            if not has_word:
                state.status[input_index] = _EMPTY
                state.reasons[input_index] = "nothing left after cleaning" if length or self._raw_text(doc).strip() \
                    else "empty document"
                continue
            # The exact-duplicate fast path: the clean text's hash and length. The raw clean text is
            # keyed, not its matching normalisation, because normalising costs far more than
            # hashing; copies differing only in quote or case style meet through LSH at Jaccard 1.0.
            u = len(state.uniq_to_input)
            if key is None:
                first = state.clean_copies.first(cast("str | bytes", text), u)
            else:
                first = state.clean_copies.first_hashed(key, size, u)
            if first >= 0:
                state.status[input_index] = _EXACT
                state.uniq[input_index] = first
                state.consider_best(first, input_index, doc, cfg)
                continue
            state.status[input_index] = _OK
            state.uniq[input_index] = u
            state.uniq_to_input.append(input_index)
            state.best_input.append(input_index)
            state.completeness.append(length)
            state.dates.append(doc.date)
            state.sources.append(doc.source)
            signer.add(text)
        if self.progress is not None:
            self.progress(len(batch))

    def _raw_text(self, doc: Document) -> str:
        """The raw text of ``doc`` (read from the run's input list for a :class:`_Listed` pair)."""
        if type(doc) is _Listed and self._listed is not None:
            return cast(str, self._listed[cast(_Listed, doc).index][1])
        return doc.text

    def _similarity_fn(self, hashes: _SpillStore) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
        from . import verify

        whole = hashes.read_all() if hashes.nbytes() <= _READ_WHOLE_BYTES else None

        def similarity(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            if whole is not None:
                # A store this small is read once, whole: the kernel takes the documents where they are.
                return verify.similarities(whole, hashes.offsets, pairs)
            jac = np.zeros(len(pairs), dtype=np.float64)
            con = np.zeros(len(pairs), dtype=np.float64)
            for start in range(0, len(pairs), _VERIFY_CHUNK):
                chunk = pairs[start:start + _VERIFY_CHUNK]
                # Only this chunk's documents are read into memory, renumbered locally.
                rows, local_pairs = np.unique(chunk, return_inverse=True)
                values, local_offsets = hashes.gather(rows)
                j, c = verify.similarities(values, local_offsets, local_pairs.reshape(chunk.shape))
                jac[start:start + len(chunk)] = j
                con[start:start + len(chunk)] = c
            return jac, con

        return similarity

    def _cluster_and_report(
        self, state: _RunState, hashes: _SpillStore, key_batches: list[np.ndarray]
    ) -> Iterator[ClusterRecord]:
        from . import band, cluster, verify

        cfg = self.config
        n_unique = len(state.uniq_to_input)
        pairs = band.candidate_pairs_batched(key_batches)
        key_batches.clear()
        similarity = self._similarity_fn(hashes)
        jac, con = similarity(pairs)
        accepted = verify.accept(jac, con, cfg.verify)
        dates = np.array(state.dates, dtype=object) if any(d is not None for d in state.dates) else None
        sources = np.array(state.sources, dtype=object) if any(s is not None for s in state.sources) else None
        result = cluster.assign(
            n_unique, pairs, accepted, similarity,
            np.asarray(state.completeness, dtype=np.float64), cfg.cluster, dates=dates, sources=sources,
            verify_cfg=cfg.verify,
        )
        rep_of_unique = np.asarray(result.rep, dtype=np.int64)
        best_input = np.asarray(state.best_input, dtype=np.int64)
        if self._texts is not None:
            self._text_rows = np.full(len(state.ids), -1, dtype=np.int64)
            self._text_rows[np.asarray(state.uniq_to_input, dtype=np.int64)] = np.arange(n_unique)
        # The copy kept for each cluster: the best input copy of the representative's exact group.
        kept_input = best_input[rep_of_unique] if n_unique else np.zeros(0, dtype=np.int64)

        status = np.frombuffer(state.status, dtype=np.int8)
        uniq = np.frombuffer(state.uniq, dtype=np.int64)
        live = (status == _OK) | (status == _EXACT)
        cluster_input = np.full(len(state.ids), -1, dtype=np.int64)
        cluster_input[live] = kept_input[uniq[live]]
        sizes = np.bincount(cluster_input[live], minlength=len(state.ids)) if live.any() else None

        summary = self.summary
        summary.documents = len(state.ids)
        # Plain lists for the loop: reading a numpy array element by element makes a numpy scalar each time.
        status_of = status.tolist()
        uniq_of = uniq.tolist()
        keeper_of = cluster_input.tolist()
        size_of = sizes.tolist() if sizes is not None else None
        rep_of = rep_of_unique.tolist()
        similarity_of = np.asarray(result.similarity, dtype=np.float64).tolist()
        jaccard_of = np.asarray(result.jaccard, dtype=np.float64).tolist()
        containment_of = np.asarray(result.containment, dtype=np.float64).tolist()
        ids = state.ids
        for k, doc_id in enumerate(ids):
            code = status_of[k]
            if code == _SKIPPED or code == _EMPTY:
                reason = state.reasons.get(k)
                if code == _SKIPPED:
                    where = state.source_files.get(k)
                    label = doc_id if not where or where == doc_id else f"{where} (id {doc_id})"
                    summary.skipped.append((label, reason or "unreadable"))
                else:
                    summary.empty += 1
                yield _record(
                    id=doc_id, cluster=doc_id, representative=False,
                    status="skipped" if code == _SKIPPED else "empty", reason=reason,
                    source_file=state.source_files.get(k),
                )
                continue
            u = uniq_of[k]
            keeper = keeper_of[k]
            size = size_of[keeper] if size_of is not None else 1
            if keeper == k:
                summary.clusters += 1
                summary.kept += 1
                yield _record(id=doc_id, cluster=doc_id, representative=True, cluster_size=size)
                continue
            summary.duplicates += 1
            rep_u = rep_of[u]
            if rep_u == u:  # an exact copy of the kept text
                summary.exact_duplicates += 1
                yield _record(
                    id=doc_id, cluster=ids[keeper], representative=False,
                    duplicate_of=ids[keeper], similarity=1.0, jaccard=1.0, containment=1.0,
                    status="exact", cluster_size=size,
                )
                continue
            is_exact = code == _EXACT
            summary.exact_duplicates += int(is_exact)
            yield _record(
                id=doc_id, cluster=ids[keeper], representative=False, duplicate_of=ids[keeper],
                similarity=_round(similarity_of[u]), jaccard=_round(jaccard_of[u]),
                containment=_round(containment_of[u]), status="ok", cluster_size=size,
            )

    def clean_text_of(self, doc_index: int) -> str | None:
        """The clean text of input document ``doc_index`` (only with ``keep_text=True``, during iteration)."""
        if self._texts is None or doc_index >= len(self._text_rows) or self._text_rows[doc_index] < 0:
            return None
        row = int(self._text_rows[doc_index])
        values, _ = self._texts.gather(np.array([row], dtype=np.int64))
        return values.tobytes().decode("utf-8", "surrogatepass")


def _round(value: float) -> float | None:
    """A similarity as a record gives it: four decimals, None for NaN (``round``, not numpy's, whose
    multiply-and-round can differ in the last place)."""
    if value is None:
        return None
    v = float(value)
    return None if v != v else round(v, 4)


_new = object.__new__


def _record(id: str, cluster: str, representative: bool, duplicate_of: str | None = None,  # noqa: A002
            similarity: float | None = None, jaccard: float | None = None, containment: float | None = None,
            status: str = "ok", reason: str | None = None, cluster_size: int = 1,
            source_file: str | None = None) -> ClusterRecord:
    """``ClusterRecord(...)`` at a third of the cost: the frozen dataclass's ``__init__`` sets each
    of its 11 fields through ``object.__setattr__`` (some 1.1 µs a record, 11 ms of the 10k corpus's
    run, after the last document is cleaned); this fills the instance's ``__dict__`` as that
    ``__init__`` ends up doing (a test compares the two, field by field, for every kind of record)."""
    r = _new(ClusterRecord)
    r.__dict__.update(id=id, cluster=cluster, representative=representative, duplicate_of=duplicate_of,
                      similarity=similarity, jaccard=jaccard, containment=containment, status=status,
                      reason=reason, cluster_size=cluster_size, source_file=source_file)
    return r


#: A clean text as :meth:`Deduplicator._take` gets it: the text (str, its UTF-8 bytes, or where
#: those lie in the shared slots), its length in characters, whether it holds a letter or digit,
#: and, when a worker hashed it, the hash and size (in bytes) it is looked up by among the copies.
_Taken = tuple[str | bytes | slice, int, bool, int | None, int]


def _as_taken(cleaned: Encoded | InSlot | list[str], base: int = -1) -> Iterator[_Taken]:
    """Each clean text of a chunk (``base``: the offset of its slot, for a slot's texts)."""
    if isinstance(cleaned, list):
        for text in cleaned:
            yield text, len(text), WORD.search(text) is not None, None, 0
        return
    if base >= 0:
        blob, ends, chars, words, hashes = cast("InSlot", cleaned)
        start = 0
        for end, length, has_word, key in zip(ends, chars, words, hashes, strict=True):
            yield (slice(base + start, base + end) if blob is None else blob[start:end]), length, has_word, key, \
                end - start
            start = end
        return
    blob, ends, chars, words = cast("Encoded", cleaned)
    start = 0
    for end, length, has_word in zip(ends, chars, words, strict=True):
        yield blob[start:end], length, has_word, None, 0
        start = end


class _Signer:
    """New clean texts, signed ``min(batch_size, SIGN_CHUNK)`` at a time: their shingle hashes go
    to the spill store, their band keys stay in memory."""

    def __init__(self, owner: Deduplicator, hashes: _SpillStore, bands: int, rows: int) -> None:
        self.owner = owner
        self.hashes = hashes
        self.bands = bands
        self.rows = rows
        self.size = min(owner.config.batch_size, SIGN_CHUNK)
        #: One signing thread while cleaning workers keep the cores busy, else one per worker.
        self.threads = 1 if owner.config.clean.enabled and owner.config.workers > 1 else owner.config.workers
        #: New clean texts: str, their UTF-8 bytes, or where those lie in ``block`` (one kind at a
        #: time: a run with workers signs each chunk as it takes it).
        self.texts: list[str | bytes | slice] = []
        self.key_batches: list[np.ndarray] = []
        #: The shared slots, as bytes (a run whose workers use them).
        self.block: np.ndarray | None = None

    def add(self, text: str | bytes | slice) -> None:
        self.texts.append(text)
        if len(self.texts) >= self.size:
            self.flush()

    def flush(self) -> None:
        texts, self.texts = self.texts, []
        if not texts:
            return
        _load_kernels()
        from . import band, signature

        cfg = self.owner.config
        store = self.owner._texts
        if isinstance(texts[0], str):
            strs = cast("list[str]", texts)
            signed = signature.sign_batch(strs, cfg.shingle, cfg.minhash, num_threads=self.threads)
            if store is not None:
                buf, starts = signature.encode_batch(strs)
        else:
            if isinstance(texts[0], slice):
                buf, starts = self._from_block(cast("list[slice]", texts))
            else:
                buf, starts = signature.join_encoded(cast("list[bytes]", texts))
            signed = signature.sign_encoded(buf, starts, cfg.shingle, cfg.minhash, num_threads=self.threads)
        if store is not None:
            store.append(buf[: starts[-1]], starts)
        self.hashes.append(signed.hashes, signed.offsets)
        with signature.thread_cap(self.threads):  # every kernel of it (see thread_cap)
            self.key_batches.append(band.band_keys(signed.sigs, self.bands, self.rows))


    def _from_block(self, where: list[slice]) -> tuple[np.ndarray, np.ndarray]:
        """Texts in the shared slots as :func:`~dedup.signature.join_encoded` gives them: where they
        are when they follow each other (a chunk's new texts, as a rule), else joined."""
        block = self.block
        assert block is not None
        lo = where[0].start
        if all(a.stop == b.start for a, b in zip(where, where[1:], strict=False)):
            starts = np.fromiter((w.stop - lo for w in where), dtype=np.int64, count=len(where))
            # The slot's texts are followed by SLOT_PAD zero bytes, or by another of its texts.
            return block[lo:where[-1].stop + SLOT_PAD], np.concatenate([np.zeros(1, dtype=np.int64), starts])
        from . import signature

        return signature.join_encoded([block[w].tobytes() for w in where])


class _Copies:
    """Texts met so far, each under the number of the first document that had it: serves the raw
    texts (a crawl fetches many pages more than once, and a copy is not cleaned again) and the
    clean ones (the exact-duplicate fast path).

    Keyed by Python's hash of the text (computed in C and cached on the object: 0.7 µs for a page,
    against 3.9 µs for encoding it and a 64-bit blake2b digest): of the raw text as a str, of the
    clean text as its UTF-8 bytes (as the workers send it back), with the length kept beside the
    first's number; a hit is a copy only if the length is the same too. Two different texts of one
    length and one 64-bit hash in a run of a million documents have odds of some 1e-11, and a
    text of another length under a hash already taken is only not found as a copy (a clean text
    then goes through LSH, where its copies still meet at Jaccard 1.0). The raw texts of a list's
    ``(id, text)`` pairs are keyed by :func:`~dedup.parallel.pair_facts` instead, a faster hash
    than Python's (12-13 against 19.6 ms per 10k pages), and a hit is a copy only if the two texts
    are equal (:meth:`first_pair`). Cleaning is a function of the text alone, so a raw copy's clean
    text is its first's, and it ends as an exact copy of it (or empty, as the first did): the
    records are those cleaning it again would give.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        #: hash -> the first's number and the text's length, as ``number << 32 | length``.
        self._seen: dict[int, int] = {}

    def first(self, text: str | bytes, number: int) -> int:
        """The number of the first document with this text, or -1 (the text is then remembered as
        ``number``'s, unless another text holds its hash)."""
        return self.first_hashed(_text_hash(text), len(text), number)

    def first_hashed(self, key: int, length: int, number: int) -> int:
        """:meth:`first` of a text whose hash is ``key`` and length ``length`` (a worker hashed it)."""
        length &= 0xFFFFFFFF
        seen = self._seen.get(key)
        if seen is None:
            self._seen[key] = number << 32 | length
            return -1
        return seen >> 32 if seen & 0xFFFFFFFF == length else -1

    def first_pair(self, documents: list[Any], doc: _Listed) -> int:
        """:meth:`first` of the text of ``documents[doc.index]``, an ``(id, text)`` pair keyed by
        :func:`~dedup.parallel.pair_facts` (the document's number being its index in the list),
        the two texts compared on a hit: the key is a fast hash of the characters, not one to
        trust alone."""
        first = self.first_hashed(doc.key, doc.length, doc.index)
        return first if first < 0 or same_text(documents, doc.index, first) else -1


#: What :class:`_Copies` keys a text by (a name of its own, so a test can make every text clash).
_text_hash = hash


class _Freezer:
    """Keeps the process's garbage collector from walking, again and again, what a run holds while
    it reads its input.

    A full collection walks every object the collector tracks, and a run holds more and more of
    them (a list of a million ids, say) while it reads a million documents; Python's default
    thresholds run some 90 full collections over such a run, 15-16 s of its main process
    (docs/PERFORMANCE.md). Every :data:`FREEZE_EVERY` documents the two younger generations are
    collected and everything left is frozen (``gc.freeze``): a full collection then walks only what
    came since. The run unfreezes it all once its input is read, and the collector finds then
    what became garbage while frozen (a reference cycle that outlived a freeze is freed at the end
    of the input, not before). A process whose collector is off, or that has frozen objects of its
    own, is left as it is.
    """

    __slots__ = ("active",)

    def __init__(self) -> None:
        self.active = may_freeze()

    def tick(self, documents: int) -> None:
        """The run has read ``documents`` input items (documents, or records it skips)."""
        if self.active and documents and documents % FREEZE_EVERY == 0:
            gc.collect(1)  # the young garbage, not frozen with the rest (a full collection is what this spares)
            gc.freeze()

    def thaw(self) -> None:
        if self.active:
            self.active = False
            gc.unfreeze()


class _RunState:
    """Compact per-document bookkeeping of one run (``array`` buffers, not lists of objects)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.seen_ids: dict[str, int] = {}
        self.status = array("b")
        self.uniq = array("q")
        self.reasons: dict[int, str] = {}
        self.source_files: dict[int, str] = {}
        #: Each new clean text's first unique document (see :class:`_Copies`).
        self.clean_copies = _Copies()
        self.uniq_to_input = array("q")
        self.best_input = array("q")
        self.completeness = array("q")
        self.dates: list[str | None] = []
        self.sources: list[str | None] = []

    def add_bad(self, bad: BadRecord) -> None:
        k = len(self.ids)
        self.ids.append(bad.id)
        self.status.append(_SKIPPED)
        self.uniq.append(-1)
        self.reasons[k] = bad.reason
        self.source_files[k] = bad.source

    def add_pending(self, doc: Document) -> None:
        self.ids.append(doc.id)
        self.status.append(_SKIPPED)  # set for real once the batch is processed
        self.uniq.append(-1)

    def consider_best(self, u: int, input_index: int, doc: Document, cfg: DedupConfig) -> None:
        """An exact copy of unique document ``u``: keep it as the group's copy if the policy prefers it."""
        if cfg.cluster.prefer_sources:
            rank = _source_rank(doc.source, cfg.cluster.prefer_sources)
            current = _source_rank(self.sources[u], cfg.cluster.prefer_sources)
            if rank != current:
                if rank < current:
                    self._set_best(u, input_index, doc)
                return
        if cfg.cluster.representative == "earliest" and doc.date is not None:
            if self.dates[u] is None or doc.date < str(self.dates[u]):
                self._set_best(u, input_index, doc)

    def _set_best(self, u: int, input_index: int, doc: Document) -> None:
        self.best_input[u] = input_index
        self.dates[u] = doc.date
        self.sources[u] = doc.source


def _source_rank(source: str | None, preferred: tuple[str, ...]) -> int:
    if source is None or source not in preferred:
        return len(preferred)
    return preferred.index(source)


def cluster_documents(documents: Iterable[DocumentLike], config: DedupConfig | None = None) -> list[ClusterRecord]:
    """Cluster documents and return one :class:`ClusterRecord` per input document, in input order."""
    return list(Deduplicator(config).run(documents))


def document_signature(text: str, config: DedupConfig | None = None) -> np.ndarray:
    """MinHash signature (uint32[num_perm]) of one document, cleaned first: for map-style pipelines."""
    from . import signature

    cfg = config or DedupConfig()
    text = clean_text(text, cfg.clean) if cfg.clean.enabled else text
    return signature.sign_batch([text], cfg.shingle, cfg.minhash).sigs[0]
