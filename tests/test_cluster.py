"""Tests of dedup.cluster: union-find, exact groups, representatives and the chaining guard."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.cluster import Assignment, UnionFind, assign, exact_groups
from dedup.config import ClusterConfig, VerifyConfig
from dedup.verify import accept, similarities


def _store(sets: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
    runs = [np.array(sorted(s), dtype=np.uint32) for s in sets]
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in runs])
    return np.concatenate(runs), offsets


def _run(sets: list[set[int]], pairs: list[tuple[int, int]], completeness: list[float] | None = None,
         cfg: ClusterConfig | None = None, **kw: object) -> Assignment:
    hashes, offsets = _store(sets)
    p = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    jac, con = similarities(hashes, offsets, p)
    comp = np.array(completeness if completeness is not None else [len(s) for s in sets], dtype=float)
    return assign(len(sets), p, accept(jac, con, VerifyConfig()), functools.partial(similarities, hashes, offsets),
                  comp, cfg or ClusterConfig(), **kw)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60), st.randoms())
def test_union_find_order_independent(edges: list[tuple[int, int]], rnd: object) -> None:
    uf = UnionFind(30)
    uf.union_pairs(np.array(edges, dtype=np.int64).reshape(-1, 2))
    shuffled = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in edges]  # type: ignore[attr-defined]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    uf2 = UnionFind(30)
    for a, b in shuffled:
        uf2.union(a, b)
    roots = uf.roots()
    assert np.array_equal(roots, uf2.roots())
    # Roots are component minima; reference by repeated relaxation.
    ref = np.arange(30)
    for _ in range(30):
        for a, b in edges:
            ref[a] = ref[b] = min(ref[a], ref[b])
    assert np.array_equal(roots, ref)
    assert uf.find(29) == roots[29]


def test_exact_groups() -> None:
    d = np.array([7, 3, 7, 9, 3, 7], dtype=np.uint64)
    assert exact_groups(d).tolist() == [0, 1, 0, 3, 1, 0]
    assert exact_groups(np.empty(0, dtype=np.uint64)).shape == (0,)


# A chain of drifting copies: consecutive ones have Jaccard 70/130 = 0.54 (accepted),
# A and C only 40/160 = 0.25 with containment 0.4 (rejected).
A, B, C, D = set(range(0, 100)), set(range(30, 130)), set(range(60, 160)), set(range(90, 190))


def test_chaining_guard_splits_chain() -> None:
    res = _run([A, B, C], [(0, 1), (1, 2)], completeness=[3, 2, 1])
    assert res.rep.tolist() == [0, 0, 2]
    assert np.isnan(res.similarity[[0, 2]]).all()
    assert res.jaccard[1] == pytest.approx(70 / 130) and res.containment[1] == pytest.approx(0.7)
    assert res.cluster_size().tolist() == [2, 2, 1]
    assert res.is_rep.tolist() == [True, False, True]


def test_chaining_guard_reclusters_the_rest() -> None:
    # Rep A keeps B; C and D fail against A and form their own cluster (C~D accepted).
    res = _run([A, B, C, D], [(2, 3), (0, 1), (1, 2)], completeness=[4, 3, 2, 1])
    assert res.rep.tolist() == [0, 0, 2, 2]
    # When the middle is the most complete copy, the whole chain passes against it.
    res = _run([A, B, C], [(0, 1), (1, 2)], completeness=[1, 3, 2])
    assert res.rep.tolist() == [1, 1, 1]


def test_representative_rules() -> None:
    story = set(range(200))
    sets = [set(range(150)), story, set(range(180)), set(range(170))]
    pairs = [(0, 1), (1, 2), (2, 3), (0, 3)]
    assert _run(sets, pairs).rep.tolist() == [1, 1, 1, 1]  # most complete
    dates = ["2024-05-02", "2024-05-03", None, "2024-05-01"]
    earliest = _run(sets, pairs, cfg=ClusterConfig(representative="earliest"), dates=dates)
    assert earliest.rep.tolist() == [3, 3, 3, 3]
    # Same date: completeness breaks the tie; missing dates rank last.
    same = _run(sets, pairs, cfg=ClusterConfig(representative="earliest"), dates=["d", "d", None, "d"])
    assert same.rep.tolist() == [1, 1, 1, 1]
    sources = ["wire", "blog", "paper", "paper"]
    pref = _run(sets, pairs, cfg=ClusterConfig(prefer_sources=("paper", "wire")), sources=sources)
    assert pref.rep.tolist() == [2, 2, 2, 2]  # the more complete of the two "paper" copies
    pref_e = _run(sets, pairs, cfg=ClusterConfig(representative="earliest", prefer_sources=("paper",)),
                  dates=dates, sources=sources)
    assert pref_e.rep.tolist() == [3, 3, 3, 3]
    # Ties in everything: lowest index.
    assert _run(sets, pairs, completeness=[1, 1, 1, 1]).rep.tolist() == [0, 0, 0, 0]


def _random_world(seed: int, n: int = 120) -> tuple[list[set[int]], list[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    sets: list[set[int]] = []
    for i in range(n):
        if i and rng.random() < 0.6:
            base = sets[int(rng.integers(0, i))]
            drop = set(rng.choice(sorted(base), size=int(len(base) * rng.uniform(0, 0.5)), replace=False).tolist())
            sets.append((base - drop) | set(rng.integers(10**6, 10**7, size=int(rng.integers(0, 40))).tolist()))
        else:
            sets.append(set(rng.integers(0, 10**6, size=int(rng.integers(20, 120))).tolist()))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if len(sets[i] & sets[j])]
    return sets, pairs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assign_deterministic_and_guarded(seed: int) -> None:
    sets, pairs = _random_world(seed)
    rng = np.random.default_rng(seed)
    base = _run(sets, pairs)
    shuffled = [pairs[k][:: rng.choice([1, -1])] for k in rng.permutation(len(pairs))]
    again = _run(sets, shuffled)
    for field in ("rep", "similarity", "jaccard", "containment"):
        assert np.array_equal(getattr(base, field), getattr(again, field), equal_nan=True)
    # Every member passes against its representative; representatives point at themselves.
    members = np.flatnonzero(~base.is_rep)
    assert len(members) > 10
    assert (base.rep[base.rep] == base.rep).all()
    hashes, offsets = _store(sets)
    jac, con = similarities(hashes, offsets, np.stack((members, base.rep[members]), axis=1))
    assert accept(jac, con, VerifyConfig()).all()
    assert np.array_equal(jac, base.jaccard[members])


def test_assign_equivariant_under_document_order() -> None:
    # Renumbering the documents (another batching upstream) renumbers the answer, nothing else.
    sets, pairs = _random_world(5, 80)
    comp = [len(s) + k / 1000 for k, s in enumerate(sets)]  # no ties, so the index never decides
    base = _run(sets, pairs, completeness=comp)
    perm = np.random.default_rng(0).permutation(len(sets))  # new position -> old document
    inv = np.argsort(perm)
    moved = _run([sets[k] for k in perm], [(int(inv[a]), int(inv[b])) for a, b in pairs],
                 completeness=[comp[k] for k in perm])
    assert np.array_equal(perm[moved.rep], base.rep[perm])
    assert np.array_equal(moved.jaccard, base.jaccard[perm], equal_nan=True)


def test_assign_no_edges_and_validation() -> None:
    res = _run([A, C], [(0, 1)])
    assert res.rep.tolist() == [0, 1] and np.isnan(res.similarity).all()
    with pytest.raises(ValueError):
        assign(2, np.array([[0, 1]]), np.array([True, False]), lambda p: (p, p), np.ones(2), ClusterConfig())
    with pytest.raises(ValueError):
        assign(2, np.array([[0, 2]]), np.array([True]), lambda p: (p, p), np.ones(2), ClusterConfig())
    with pytest.raises(ValueError):
        assign(2, np.array([[0, 1]]), np.array([True]), lambda p: (p, p), np.ones(3), ClusterConfig())
