"""Tests of dedup.band: LSH parameters, band keys and candidate pairs."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from dedup import band
from dedup.band import band_keys, candidate_pairs, candidates_from_signatures, lsh_params
from dedup.cluster import UnionFind
from dedup.config import LSHConfig
from dedup.errors import ConfigError


def _random_sigs(n: int, num_perm: int = 128, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, size=(n, num_perm), dtype=np.uint32)


@pytest.mark.parametrize("threshold", [0.3, 0.4, 0.5, 0.8])
@pytest.mark.parametrize("num_perm", [64, 128])
def test_lsh_params_match_datasketch(threshold: float, num_perm: int) -> None:
    cfg = LSHConfig(threshold=threshold)
    expected = _optimal_param(threshold, num_perm, cfg.false_positive_weight, cfg.false_negative_weight)
    assert lsh_params(cfg, num_perm) == tuple(int(v) for v in expected)


@pytest.mark.parametrize("num_perm", [8, 16, 32, 100, 256])
@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.3, 0.7), (0.9, 0.1)])
def test_optimal_params_are_datasketchs_choice(num_perm: int, weights: tuple[float, float]) -> None:
    # Our exact quadrature against datasketch's scipy quad, over thresholds 0.05 .. 0.95.
    for threshold in [round(0.05 * k, 2) for k in range(1, 20)]:
        assert band.optimal_params(threshold, num_perm, *weights) == _optimal_param(threshold, num_perm, *weights), (
            threshold, num_perm, weights)


def test_lsh_params_explicit_and_invalid() -> None:
    assert lsh_params(LSHConfig(bands=16, rows=8), 128) == (16, 8)
    assert lsh_params(LSHConfig(bands=10, rows=5), 128) == (10, 5)  # fewer than num_perm is fine
    with pytest.raises(ConfigError, match="exceeds minhash.num_perm=128"):
        lsh_params(LSHConfig(bands=20, rows=8), 128)
    with pytest.raises(ConfigError, match="at least 1"):
        lsh_params(LSHConfig(bands=0, rows=8), 128)


def test_band_keys_equal_rows_equal_keys_and_bands_differ() -> None:
    sigs = _random_sigs(4, 12)
    sigs[1] = sigs[0]
    sigs[2, 3:6] = sigs[0, 3:6]  # band 1 shared only
    sigs[3, 0:3] = sigs[0, 3:6]  # band 0 of doc 3 holds the values of band 1 of doc 0
    keys = band_keys(sigs, 4, 3)
    assert keys.shape == (4, 4) and keys.dtype == np.uint64
    assert (keys[0] == keys[1]).all()
    assert keys[2, 1] == keys[0, 1] and (keys[2, [0, 2, 3]] != keys[0, [0, 2, 3]]).all()
    assert keys[3, 0] != keys[0, 1]  # the band index is mixed in
    # Row order inside a band matters.
    swapped = sigs[:1].copy()
    swapped[0, [0, 1]] = swapped[0, [1, 0]]
    assert band_keys(swapped, 4, 3)[0, 0] != keys[0, 0]


def test_band_keys_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError):
        band_keys(_random_sigs(3, 8), 3, 3)
    with pytest.raises(ValueError):
        band_keys(np.zeros(8, dtype=np.uint32), 2, 2)
    assert band_keys(np.zeros((0, 8), dtype=np.uint32), 2, 4).shape == (0, 2)


def test_candidate_pairs_find_planted_near_duplicates() -> None:
    rng = np.random.default_rng(1)
    n, bands, rows = 3000, 31, 3
    sigs = _random_sigs(n, 128, seed=2)
    src = rng.choice(n // 2, size=300, replace=False)
    dst = rng.choice(np.arange(n // 2, n), size=300, replace=False)
    sigs[dst] = sigs[src]
    # Perturb 6 of 128 values: estimated Jaccard ~0.95, far above the 0.4 banding threshold.
    cols = rng.integers(0, 128, size=(300, 6))
    sigs[dst[:, None], cols] = rng.integers(0, 2**32, size=(300, 6), dtype=np.uint32)
    pairs = candidate_pairs(band_keys(sigs, bands, rows))
    assert pairs.dtype == np.int64 and pairs.shape[1] == 2
    assert (pairs[:, 0] < pairs[:, 1]).all()
    codes = pairs[:, 0] * n + pairs[:, 1]
    assert (np.diff(codes) > 0).all()  # sorted and unique
    planted = set(zip(np.minimum(src, dst).tolist(), np.maximum(src, dst).tolist(), strict=True))
    assert planted <= set(map(tuple, pairs.tolist()))
    # Unrelated random signatures essentially never share a 3-value band.
    assert len(pairs) < len(planted) + 10
    assert np.array_equal(candidates_from_signatures(sigs, bands, rows), pairs)


def test_small_bucket_star_and_chain() -> None:
    sigs = _random_sigs(7, 8)
    sigs[[1, 3, 4, 6]] = sigs[1]
    pairs = candidate_pairs(band_keys(sigs, 2, 4))
    assert pairs.tolist() == [[1, 3], [1, 4], [1, 6], [3, 4], [4, 6]]


@pytest.mark.parametrize("shift", [0, 40, 63])
def test_buckets_match_star_and_chain_reference(shift: int) -> None:
    # Many buckets of mixed sizes in shuffled positions: every bucket, in index order, must give
    # exactly the star to its first member plus the chain of neighbours. Shifted keys share their
    # low bits (the hash table's index) and differ only high up, the top bit included.
    rng = np.random.default_rng(3)
    n = 2000
    keys = rng.integers(0, 300, size=(n, 3)).astype(np.uint64) << np.uint64(shift)
    expected: set[tuple[int, int]] = set()
    for b in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for doc, key in enumerate(keys[:, b].tolist()):
            buckets.setdefault(key, []).append(doc)
        for members in buckets.values():
            expected |= {(members[0], m) for m in members[1:]}
            expected |= set(zip(members[:-1], members[1:], strict=True))
    assert set(map(tuple, candidate_pairs(keys).tolist())) == expected


def test_huge_bucket_is_linear() -> None:
    k = 10_000
    sigs = np.tile(_random_sigs(1, 128), (k, 1))
    pairs = candidate_pairs(band_keys(sigs, 31, 3))
    assert len(pairs) <= 2 * k
    uf = UnionFind(k)
    uf.union_pairs(pairs)
    assert (uf.roots() == 0).all()  # the bucket still forms one component


def test_candidate_pairs_degenerate() -> None:
    assert candidate_pairs(np.zeros((0, 4), dtype=np.uint64)).shape == (0, 2)
    assert candidate_pairs(np.zeros((1, 4), dtype=np.uint64)).shape == (0, 2)
    assert candidate_pairs(np.zeros((5, 0), dtype=np.uint64)).shape == (0, 2)


def test_batched_candidates_equal_the_whole_matrix() -> None:
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 40, size=(900, 6)).astype(np.uint64)
    whole = band.candidate_pairs(keys)
    batched = band.candidate_pairs_batched([keys[:250], keys[250:250], keys[250:251], keys[251:]])
    assert len(whole) > 0 and np.array_equal(whole, batched)
