from __future__ import annotations

import dedup


def test_all_names_are_exported_and_resolve() -> None:
    assert sorted(dedup.__all__) == sorted(set(dedup.__all__))
    for name in dedup.__all__:
        assert getattr(dedup, name) is not None, name


def test_errors_share_one_base() -> None:
    assert issubclass(dedup.ConfigError, dedup.DedupError)
    assert issubclass(dedup.InputError, dedup.DedupError)


def test_config_round_trips_through_dict() -> None:
    cfg = dedup.DedupConfig(cluster=dedup.ClusterConfig(prefer_sources=("wire",)), workers=2)
    assert dedup.DedupConfig.from_dict(cfg.to_dict()) == cfg
