"""Tests of dedup.verify: exact similarities and acceptance rules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import VerifyConfig
from dedup.verify import accept, score, similarities


def _store(sets: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
    runs = [np.array(sorted(s), dtype=np.uint32) for s in sets]
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in runs])
    hashes = np.concatenate(runs) if runs else np.empty(0, dtype=np.uint32)
    return hashes, offsets


_sets = st.lists(st.sets(st.integers(0, 60), max_size=40) | st.sets(st.integers(0, 2**32 - 1), max_size=5),
                 min_size=2, max_size=8)


@settings(max_examples=150, deadline=None)
@given(_sets, st.data())
def test_similarities_match_set_reference(sets: list[set[int]], data: st.DataObject) -> None:
    n = len(sets)
    pairs = np.array(
        data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=20)),
        dtype=np.int64,
    )
    hashes, offsets = _store(sets)
    jac, con = similarities(hashes, offsets, pairs)
    for (i, j), got_j, got_c in zip(pairs.tolist(), jac, con, strict=True):
        a, b = sets[i], sets[j]
        if not a or not b:
            assert got_j == 0.0 and got_c == 0.0
        else:
            inter = len(a & b)
            assert got_j == pytest.approx(inter / len(a | b))
            assert got_c == pytest.approx(inter / min(len(a), len(b)))


def test_similarities_validation_and_empty() -> None:
    hashes, offsets = _store([{1, 2}, {2, 3}, set()])
    jac, con = similarities(hashes, offsets, np.empty((0, 2), dtype=np.int64))
    assert jac.shape == con.shape == (0,)
    jac, con = similarities(hashes, offsets, np.array([[0, 2], [2, 2], [0, 1]]))
    assert jac.tolist() == [0.0, 0.0, 1 / 3] and con.tolist() == [0.0, 0.0, 0.5]
    with pytest.raises(ValueError):
        similarities(hashes, offsets, np.array([[0, 3]]))
    with pytest.raises(ValueError):
        similarities(hashes, np.array([0, 3, 2, 4]), np.array([[0, 1]]))
    with pytest.raises(ValueError):
        similarities(hashes, offsets, np.array([0, 1, 2]))


def test_truncated_copy_and_snippet() -> None:
    cfg = VerifyConfig()
    story = set(range(1000))
    truncated = set(range(600))  # 60% of the story
    snippet = set(range(100))  # 10% of the story
    hashes, offsets = _store([story, truncated, snippet])
    jac, con = similarities(hashes, offsets, np.array([[0, 1], [0, 2]]))
    assert jac.tolist() == pytest.approx([0.6, 0.1]) and con.tolist() == [1.0, 1.0]
    assert accept(jac, con, cfg).tolist() == [True, False]  # snippet fails containment_min_jaccard
    assert score(jac, con, cfg).tolist() == pytest.approx([1.0, 0.1])


def test_accept_rules() -> None:
    cfg = VerifyConfig(jaccard=0.5, containment=0.8, containment_min_jaccard=0.3)
    jac = np.array([0.5, 0.49, 0.35, 0.29, 0.35, np.nan])
    con = np.array([0.5, 0.6, 0.8, 0.95, 0.79, np.nan])
    assert accept(jac, con, cfg).tolist() == [True, False, True, False, False, False]
    got = score(jac, con, cfg)
    assert got[:5].tolist() == pytest.approx([0.5, 0.49, 0.8, 0.29, 0.35])
    assert np.isnan(got[5])
