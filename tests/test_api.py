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


def test_records_and_explanations_serialise_as_asdict_does() -> None:
    from dataclasses import asdict

    cleaned = dedup.clean("Home | News | Sport\nChinaâ€™s harbour reopened on Monday after the storm, officials said.")
    assert cleaned.removed and cleaned.repairs
    assert cleaned.to_dict() == asdict(cleaned)
    assert list(cleaned.to_dict()) == list(asdict(cleaned))
    (record, other) = dedup.cluster_documents([("a", "One story about the harbour."), ("b", "Another about rail.")])
    assert record.to_dict() == asdict(record) and list(record.to_dict()) == list(asdict(record))
    assert other.to_dict() is not other.__dict__
