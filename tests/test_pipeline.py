from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scoring import pair_scores

from dedup import CleanConfig, ClusterConfig, ClusterRecord, DedupConfig, Document
from dedup.io import read_inputs
from dedup.pipeline import Deduplicator, cluster_documents, document_signature

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

STORY = (
    "The harbour authority said on Monday that container traffic through the port rose eleven percent "
    "in the first quarter, driven by a surge in electronics imports and a recovery in car shipments. "
    "Officials expect the new deep water berth to open in September, allowing larger vessels to dock "
    "without waiting for high tide. Dock workers' unions welcomed the figures but warned that staffing "
    "had not kept pace with the extra cargo, and called for talks on overtime rules before the summer."
)
OTHER = (
    "Heavy snow closed mountain passes across the region overnight, stranding hundreds of lorries and "
    "forcing schools in three valleys to shut. Forecasters said a second band of snow would arrive on "
    "Thursday, and the road agency urged drivers to carry chains and avoid unnecessary journeys."
)


def _labels(records) -> dict[str, str]:
    return {r.id: r.cluster for r in records}


def test_seeds_come_out_as_four_singletons() -> None:
    docs = [d for d in read_inputs([FIXTURES / "seeds"])]
    records = cluster_documents(docs)
    assert len(records) == 4
    assert len({r.cluster for r in records}) == 4
    assert all(r.representative and r.status == "ok" for r in records)


def test_syndication_fixture_pair_f1() -> None:
    gold = json.loads((FIXTURES / "syndication" / "gold.json").read_text(encoding="utf-8"))["clusters"]
    records = cluster_documents(read_inputs([FIXTURES / "syndication" / "docs"]))
    predicted = _labels(records)
    assert set(predicted) == {i for ids in gold.values() for i in ids}
    precision, recall, f1 = pair_scores(gold, predicted)
    assert f1 >= 0.98, (precision, recall, f1)


def test_one_record_per_input_with_flags() -> None:
    inputs = [
        ("a", STORY),
        ("b", STORY.replace("eleven", "11")),
        ("a", OTHER),  # duplicate id
        ("e", "   \n\n"),
        ("c", OTHER),
        ("d", STORY),  # exact copy of a
        ("bad", 17),
    ]
    records = cluster_documents(inputs)  # type: ignore[arg-type]
    assert [r.id for r in records] == ["a", "b", "a", "e", "c", "d", "bad"]
    by = {(r.id, i): r for i, r in enumerate(records)}
    assert by[("a", 0)].representative and by[("a", 0)].cluster == "a"
    assert by[("b", 1)].duplicate_of == "a" and by[("b", 1)].similarity is not None
    assert by[("a", 2)].status == "skipped" and "duplicate id" in (by[("a", 2)].reason or "")
    assert by[("e", 3)].status == "empty"
    assert by[("c", 4)].representative and by[("c", 4)].cluster == "c"
    assert by[("d", 5)].status == "exact" and by[("d", 5)].duplicate_of == "a"
    assert by[("bad", 6)].status == "skipped"
    assert by[("a", 0)].cluster_size == 3


def test_results_do_not_depend_on_batch_size_or_workers() -> None:
    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    base = [r.to_dict() for r in cluster_documents(docs)]
    small = [r.to_dict() for r in cluster_documents(docs, DedupConfig(batch_size=3))]
    parallel = [r.to_dict() for r in cluster_documents(docs, DedupConfig(batch_size=7, workers=2))]
    assert base == small == parallel


def test_verification_reads_the_store_whole_or_in_chunks_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small shingle store is read whole for the verification; a larger one chunk by chunk, each
    chunk's documents read one by one: the records are the same."""
    import dedup.pipeline as pipeline_mod

    read = {"whole": 0}
    read_all = pipeline_mod._SpillStore.read_all

    def spy(self: object) -> np.ndarray:
        read["whole"] += 1
        return read_all(self)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_mod._SpillStore, "read_all", spy)
    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    whole = [r.to_dict() for r in cluster_documents(docs)]
    assert read["whole"] == 1
    monkeypatch.setattr(pipeline_mod, "_READ_WHOLE_BYTES", 0)
    monkeypatch.setattr(pipeline_mod, "_VERIFY_CHUNK", 3)
    chunked = [r.to_dict() for r in cluster_documents(docs)]
    assert read["whole"] == 1
    assert whole == chunked
    assert sum(r["status"] != "ok" or not r["representative"] for r in whole) > 3  # duplicates were verified


def test_chunks_out_for_cleaning_come_back_in_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny chunks, one in flight per worker, the signing every few documents: workers finish out of
    order and the main process waits for them, yet the records are those of one process."""
    import dedup.pipeline as pipeline

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    base = [r.to_dict() for r in cluster_documents(docs)]
    monkeypatch.setattr(pipeline, "CLEAN_CHUNK", 2)
    monkeypatch.setattr(pipeline, "IN_FLIGHT", 1)
    monkeypatch.setattr(pipeline, "SIGN_CHUNK", 5)
    seen: list[int] = []
    dedup_ = Deduplicator(DedupConfig(workers=2), progress=seen.append)
    assert [r.to_dict() for r in dedup_.run(docs)] == base
    assert sum(seen) == len(docs) and max(seen) == 2


def _cleaned_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the pipeline has cleaned (in this process: workers=1)."""
    import dedup.pipeline as pipeline

    seen: list[str] = []
    real = pipeline.clean_many

    def spy(texts, config):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return real(texts, config)

    monkeypatch.setattr(pipeline, "clean_many", spy)
    return seen


def test_a_raw_copy_is_not_cleaned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page fetched twice is cleaned once; its records are those cleaning it again gives: an exact
    copy of the first, or empty as the first was. Copies in one chunk and across chunks alike."""
    import dedup.pipeline as pipeline

    junk = "Home | News | Sport\nSubscribe to our newsletter"
    docs = [("a", STORY), ("j", junk), ("b", STORY + " Reuters"), ("a2", STORY), ("c", OTHER),
            ("j2", junk), ("a3", STORY), ("c2", OTHER)]
    # What cleaning every copy again gives: the same pages, each with blank lines of its own at the
    # end (no raw text repeats; cleaning drops blank lines).
    expected = [r.to_dict() for r in cluster_documents([(d, t + "\n" * k) for k, (d, t) in enumerate(docs)])]
    for chunk in (1, 2, 200):
        monkeypatch.setattr(pipeline, "CLEAN_CHUNK", chunk)
        seen = _cleaned_texts(monkeypatch)
        assert [r.to_dict() for r in cluster_documents(docs)] == expected
        assert sorted(seen) == sorted({STORY, junk, STORY + " Reuters", OTHER})
    by = {r["id"]: r for r in expected}
    assert by["b"]["representative"]  # the most complete copy
    assert {k: v for k, v in by["a2"].items() if k != "id"} == {k: v for k, v in by["a"].items() if k != "id"}
    assert by["c2"]["status"] == "exact" and by["c2"]["duplicate_of"] == "c"
    assert by["j"]["status"] == by["j2"]["status"] == "empty" and by["j2"]["reason"] == by["j"]["reason"]


def test_a_digest_clash_only_sends_the_later_text_through_lsh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact copies are found by the clean text's hash and length; texts of one hash and another
    length (forced here: every hash the same) still cluster with their copies, through LSH."""
    import dedup.pipeline as pipeline

    docs = [("a", STORY), ("b", OTHER), ("a2", STORY), ("b2", OTHER)]
    normal = {r.id: r for r in cluster_documents(docs, DedupConfig(clean=CleanConfig(enabled=False)))}
    monkeypatch.setattr(pipeline, "_text_hash", lambda text: 0)
    clashing = {r.id: r for r in cluster_documents(docs, DedupConfig(clean=CleanConfig(enabled=False)))}
    assert {k: r.cluster for k, r in clashing.items()} == {k: r.cluster for k, r in normal.items()}
    assert normal["a2"].status == clashing["a2"].status == "exact"  # the first text of that hash
    assert normal["b2"].status == "exact" and clashing["b2"].status == "ok" and clashing["b2"].similarity == 1.0


def test_raw_copies_keep_the_representative_policy_and_worker_independence() -> None:
    docs = [Document("late", STORY, date="2024-05-01"), Document("other", OTHER),
            Document("early", STORY, date="2024-01-01")]
    cfg = DedupConfig(cluster=ClusterConfig(representative="earliest"))
    one = [r.to_dict() for r in cluster_documents(docs, cfg)]
    two = [r.to_dict() for r in cluster_documents(docs, DedupConfig(cluster=cfg.cluster, workers=2, batch_size=1))]
    assert one == two
    records = {r["id"]: r for r in one}
    assert records["early"]["representative"] and records["late"]["duplicate_of"] == "early"


def test_a_list_s_raw_texts_of_one_key_are_copies_only_if_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    """With forked workers, a list's (id, text) pairs are keyed by pair_facts' fast hash and a hit
    is a copy only once the two texts compare equal: forced here to give every text one key, texts
    of one length that differ are each cleaned and clustered as they would be, and the copies
    still end as their firsts do."""
    import dedup.pipeline as pipeline

    twin = STORY.replace("eleven", "twelve")  # the same length, another text
    assert len(twin) == len(STORY) and twin != STORY
    docs = [("a", STORY), ("t", twin), ("b", OTHER), ("a2", STORY), ("t2", twin), ("e", ""), ("e2", "")]
    cfg = DedupConfig(workers=2, batch_size=2)
    normal = [r.to_dict() for r in cluster_documents(docs, cfg)]
    assert normal == [r.to_dict() for r in cluster_documents(docs)]
    monkeypatch.setattr(pipeline, "pair_facts", lambda item: (len(item[1]), 0))
    assert [r.to_dict() for r in cluster_documents(docs, cfg)] == normal
    by = {r["id"]: r for r in normal}
    assert by["a2"]["status"] == "exact" and by["t"]["status"] != "exact"
    assert {k: v for k, v in by["t2"].items() if k != "id"} == {k: v for k, v in by["t"].items() if k != "id"}


def test_raw_copies_need_the_same_text_not_only_the_same_hash() -> None:
    from dedup.pipeline import _Copies

    raw = _Copies()
    assert raw.first(STORY, 0) == -1
    assert raw.first(OTHER, 1) == -1
    assert raw.first(STORY, 2) == 0 and raw.first(OTHER, 5) == 1
    # A text of another length under the same key is not a copy (hashes made to collide here).
    raw._seen[hash("x" * 7)] = 3 << 32 | 9
    assert raw.first("x" * 7, 4) == -1


def test_input_order_changes_labels_only_by_representative_choice() -> None:
    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    forward = cluster_documents(docs)
    backward = cluster_documents(list(reversed(docs)))
    groups_f = {frozenset(i for i, lab in _labels(forward).items() if lab == c) for c in _labels(forward).values()}
    groups_b = {frozenset(i for i, lab in _labels(backward).items() if lab == c) for c in _labels(backward).values()}
    assert groups_f == groups_b


def test_representative_policies() -> None:
    longer = STORY + " The port plans to publish monthly figures from now on, the authority added."
    docs = [
        Document("short", STORY, date="2024-03-02", source="blog"),
        Document("long", longer, date="2024-03-03", source="wire"),
        Document("other", OTHER),
    ]
    complete = {r.id: r for r in cluster_documents(docs)}
    assert complete["long"].representative and complete["short"].duplicate_of == "long"
    earliest = {r.id: r for r in cluster_documents(docs, DedupConfig(cluster=ClusterConfig(representative="earliest")))}
    assert earliest["short"].representative and earliest["long"].duplicate_of == "short"
    preferred = {r.id: r for r in cluster_documents(
        docs, DedupConfig(cluster=ClusterConfig(representative="earliest", prefer_sources=("wire",))))}
    assert preferred["long"].representative


def test_exact_copies_follow_the_representative_policy() -> None:
    docs = [Document("late", STORY, date="2024-05-01"), Document("early", STORY, date="2024-01-01")]
    records = {r.id: r for r in cluster_documents(docs, DedupConfig(cluster=ClusterConfig(representative="earliest")))}
    assert records["early"].representative
    assert records["late"].duplicate_of == "early" and records["late"].status == "exact"


def test_keep_text_gives_the_clean_text_of_representatives() -> None:
    dedup = Deduplicator(keep_text=True)
    texts = {}
    for index, record in enumerate(dedup.run([("a", STORY), ("b", STORY + " Extra."), ("c", OTHER)])):
        if record.representative:
            texts[record.id] = dedup.clean_text_of(index)
    assert set(texts) == {"b", "c"} and texts["c"] == OTHER


def test_document_signature_is_map_style() -> None:
    sig = document_signature(STORY)
    assert sig.shape == (DedupConfig().minhash.num_perm,)
    assert np.array_equal(sig, document_signature(STORY))


def test_accepts_strings_and_mappings() -> None:
    records = cluster_documents([STORY, {"id": "m", "text": STORY, "date": "2024-01-01"}, OTHER])
    assert [r.id for r in records] == ["0", "m", "2"]
    assert records[1].cluster == records[0].cluster


@pytest.mark.parametrize("workers", [1, 2])
def test_summary_counts(workers: int) -> None:
    dedup = Deduplicator(DedupConfig(workers=workers))
    list(dedup.run([("a", STORY), ("b", STORY), ("c", OTHER), ("d", "")]))
    s = dedup.summary
    assert (s.documents, s.clusters, s.duplicates, s.exact_duplicates, s.empty) == (4, 2, 1, 1, 1)


def test_an_error_while_reading_reaches_the_caller_with_chunks_out() -> None:
    """The chunks still out for cleaning are cancelled and the reader's own error comes through."""

    def docs():  # type: ignore[no-untyped-def]
        for k in range(30):
            yield (f"d{k}", STORY if k % 2 else OTHER)
        raise OSError("disk went away")

    with pytest.raises(OSError, match="disk went away"):
        list(Deduplicator(DedupConfig(workers=2, batch_size=2)).run(docs()))


def test_the_sign_chunk_is_the_kernels_own() -> None:
    import dedup.pipeline as pipeline
    from dedup import signature

    assert pipeline.SIGN_CHUNK == signature.CHUNK_DOCS


def test_the_pipeline_loads_numba_only_when_it_signs() -> None:
    """Importing the pipeline (what `dedup cluster` does first) and a wrong LSH setting stay clear of
    numba: a run loads it once its first chunks are out for cleaning, so the workers fork without it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dedup.pipeline import Deduplicator\n"
        "from dedup import DedupConfig, LSHConfig, ConfigError\n"
        "assert 'numba' not in sys.modules, 'imported'\n"
        "try:\n"
        "    list(Deduplicator(DedupConfig(lsh=LSHConfig(bands=99, rows=9))).run([('a', 'some text here')]))\n"
        "except ConfigError:\n"
        "    pass\n"
        "assert 'numba' not in sys.modules, 'config error'\n"
        "list(Deduplicator().run([('a', 'some text here to sign')]))\n"
        "assert 'numba' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_signer_bands_on_its_own_threads_only(thread_counts) -> None:  # type: ignore[no-untyped-def]
    """While cleaning workers keep the cores busy, every kernel of the main process runs on one
    thread: banding included (see signature.thread_cap)."""
    from dedup import band

    seen = thread_counts(band, "band_keys")
    docs = [(str(i), f"Story {i} about the harbour bridge and the council vote on its repair.") for i in range(30)]
    list(Deduplicator(DedupConfig(workers=2)).run(docs))
    assert seen and all(n == 1 for n in seen)


def test_chunks_through_slots_or_the_pipe_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers get their chunks, and give back the clean texts, through shared slots; chunks too
    large for one go through the pipe: the records are those of one process either way, and the
    last chunks go out in pieces."""
    import dedup.parallel as parallel
    import dedup.pipeline as pipeline

    # 51 documents: the last chunk is partial, so the input always ends in pieces. (With a
    # multiple of the chunk size, the last full chunk goes out whole when a worker is idle, in
    # pieces when both are busy: a matter of timing.)
    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))[:51]
    base = [r.to_dict() for r in cluster_documents(docs)]
    put = parallel.Slots.put
    ways: list[tuple[bool, int]] = []  # whether a chunk went into a slot, and its size in UTF-8

    def spy(self, texts):  # type: ignore[no-untyped-def]
        where = put(self, texts)
        ways.append((where is not None, sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)))
        return where

    monkeypatch.setattr(parallel.Slots, "put", spy)
    for slot_bytes in (parallel.SLOT_BYTES, 2048):
        monkeypatch.setattr(parallel, "SLOT_BYTES", slot_bytes)
        monkeypatch.setattr(pipeline, "CLEAN_CHUNK", 4)
        sizes: list[int] = []
        ways.clear()
        dedup_ = Deduplicator(DedupConfig(workers=2), progress=sizes.append)
        assert [r.to_dict() for r in dedup_.run(docs)] == base
        assert sum(sizes) == len(docs)
        assert sizes[-1] == 1 and max(sizes) == 4  # CLEAN_CHUNK // FINAL_PIECES at the end
        # In a slot when it fits (all of them in the usual slots), through the pipe when it does not.
        assert ways and all(slotted == (size <= slot_bytes - parallel.SLOT_PAD) for slotted, size in ways), ways
        assert all(slotted for slotted, _ in ways) == (slot_bytes != 2048)  # 4 pages never fit in 2 KB


def test_a_list_s_pairs_are_read_by_the_workers_with_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run given a list: its (id, text) pairs go to the workers by index, their texts read from
    the workers' own copy of the list; other documents in it (a Document, a bare string, a pair
    whose text is not a string) go as before, alone or in a chunk with pairs. The records are those
    of one process: raw copies, empty pages and the bad record included."""
    import dedup.parallel as parallel
    import dedup.pipeline as pipeline

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    items: list = [(d.id, d.text) for d in docs]
    items[3] = docs[3]  # a Document among the pairs
    longest = max(docs, key=lambda d: len(d.text))
    items += [("copy-of-longest", longest.text), ("blank", "  \n "), ("menu", "Home | News | Sport"), ("bad", 42),
              "a bare string that is long enough to be a page of its own, about the weather on Tuesday"]
    base = [r.to_dict() for r in cluster_documents(items)]
    assert {r["status"] for r in base} >= {"ok", "exact", "empty", "skipped"}
    listed: list[int] = []
    real = parallel.Cleaners.submit_listed

    def spy(self, indices):  # type: ignore[no-untyped-def]
        listed.extend(indices)
        return real(self, indices)

    monkeypatch.setattr(parallel.Cleaners, "submit_listed", spy)
    monkeypatch.setattr(pipeline, "CLEAN_CHUNK", 4)
    assert [r.to_dict() for r in cluster_documents(items, DedupConfig(workers=2))] == base
    if parallel.FORKS:
        assert listed and 3 not in listed and len(items) - 1 not in listed  # not pairs of strings
        assert len(set(listed)) == len(listed) and len(items) - 5 not in listed  # each once; the copy not at all


def test_a_run_that_fails_leaves_no_worker_behind() -> None:
    """An input that fails half-way: the error reaches the caller and the cleaning workers are gone."""
    import multiprocessing

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))

    def failing():  # type: ignore[no-untyped-def]
        yield from docs[:20]
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="the disk went away"):
        list(Deduplicator(DedupConfig(workers=2, batch_size=4)).run(failing()))
    assert multiprocessing.active_children() == []


def test_a_concurrent_futures_pool_where_workers_are_not_forked_gives_the_same_records(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers cannot be forked, the run cleans through a concurrent.futures pool
    (parallel.PoolCleaners), the texts through its pipes: the same records."""
    import dedup.parallel as parallel
    import dedup.pipeline as pipeline

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    base = [r.to_dict() for r in cluster_documents(docs)]
    made: list[str] = []
    real = parallel.PoolCleaners

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append("pool")
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "FORKS", False)
    monkeypatch.setattr(parallel, "PoolCleaners", spy)
    monkeypatch.setattr(pipeline, "CLEAN_CHUNK", 3)
    assert [r.to_dict() for r in cluster_documents(docs, DedupConfig(workers=2))] == base
    assert made == ["pool"]


@pytest.mark.parametrize("memory_bytes", [0, 300, 1 << 20])  # batches of 220, 292 and 132 bytes
def test_the_spill_store_gives_back_any_rows(tmp_path: Path, memory_bytes: int) -> None:
    """Rows read back from the spill store, any of them or all, are the rows written (empty rows
    and rows out at the end included), whether it holds them in memory, in its file from the
    start, or in its file from a batch on."""
    import dedup.pipeline as pipeline_mod

    rng = np.random.default_rng(5)
    rows = [rng.integers(0, 2**32, int(rng.integers(0, 6)), dtype=np.uint32) for _ in range(60)]
    store = pipeline_mod._SpillStore(tmp_path / "h.u32", np.uint32, memory_bytes)
    for first in range(0, 60, 25):
        batch = rows[first:first + 25]
        offsets = np.concatenate([[0], np.cumsum([len(r) for r in batch])])
        store.append(np.concatenate(batch) if batch else np.zeros(0, np.uint32), offsets)
    store.finish()
    for _ in range(20):
        pick = np.unique(rng.integers(0, 60, int(rng.integers(0, 30))))
        values, local = store.gather(pick)
        assert values.dtype == np.uint32 and len(local) == len(pick) + 1
        for k, r in enumerate(pick.tolist()):
            assert values[local[k]:local[k + 1]].tolist() == rows[r].tolist()
    values, local = store.gather(np.arange(60))
    assert values.tolist() == np.concatenate(rows).tolist() == store.read_all().tolist()
    assert (tmp_path / "h.u32").exists() == (memory_bytes < values.nbytes)


def test_records_made_fast_are_the_dataclass_s_own() -> None:
    """pipeline._record makes the same ClusterRecord as its constructor: fields, their order (the
    JSON output's), defaults, equality, hash, repr, pickling."""
    import dataclasses
    import inspect
    import pickle

    from dedup.pipeline import _record

    fields = dataclasses.fields(ClusterRecord)
    params = list(inspect.signature(_record).parameters.values())
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params if p.default is not inspect.Parameter.empty] == \
        [f.default for f in fields if f.default is not dataclasses.MISSING]
    for kwargs in ({"id": "a", "cluster": "a", "representative": True, "cluster_size": 3},
                   {"id": "b", "cluster": "a", "representative": False, "duplicate_of": "a", "similarity": 0.91,
                    "jaccard": 0.9, "containment": 0.95, "status": "ok", "cluster_size": 3},
                   {"id": "c", "cluster": "c", "representative": False, "status": "skipped", "reason": "bad",
                    "source_file": "x.jsonl"}):
        fast, slow = _record(**kwargs), ClusterRecord(**kwargs)
        assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        assert list(fast.to_dict().items()) == list(slow.to_dict().items())
        assert pickle.loads(pickle.dumps(fast)) == slow
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.status = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_freezes_what_it_holds_while_reading_and_thaws_it(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Every FREEZE_EVERY documents read, the collector's two younger generations are collected and
    the rest frozen; once the input is read all is unfrozen. The records are those of a run that
    freezes nothing."""
    import gc

    from dedup import pipeline

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    calls: list[str] = []
    real = {name: getattr(gc, name) for name in ("freeze", "unfreeze")}
    monkeypatch.setattr(pipeline.gc, "freeze", lambda: (calls.append("freeze"), real["freeze"]())[1])
    monkeypatch.setattr(pipeline.gc, "unfreeze", lambda: (calls.append("unfreeze"), real["unfreeze"]())[1])
    thresholds = gc.get_threshold()
    monkeypatch.setattr(pipeline, "FREEZE_EVERY", 10)
    frozen = [r.to_dict() for r in cluster_documents(docs, DedupConfig(batch_size=7, workers=workers))]
    ours = [c for c in calls if c == "freeze"]
    assert len(ours) >= len(docs) // 10 and calls[-1] == "unfreeze", calls
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
    monkeypatch.setattr(pipeline, "FREEZE_EVERY", 10**9)
    assert frozen == [r.to_dict() for r in cluster_documents(docs, DedupConfig(batch_size=7, workers=workers))]


def test_a_run_leaves_a_caller_s_frozen_objects_and_a_disabled_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from dedup import pipeline

    docs = list(read_inputs([FIXTURES / "syndication" / "docs"]))
    calls: list[str] = []
    monkeypatch.setattr(pipeline.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(pipeline.gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(pipeline, "FREEZE_EVERY", 10)
    monkeypatch.setattr(pipeline.gc, "get_freeze_count", lambda: 1)  # the caller has frozen objects
    cluster_documents(docs)
    monkeypatch.undo()
    monkeypatch.setattr(pipeline.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(pipeline.gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(pipeline, "FREEZE_EVERY", 10)
    gc.disable()
    try:
        cluster_documents(docs)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert calls == []
