from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_report_header() -> str:
    import dedup

    cleaner = sys.modules["dedup.clean"]
    kind = "compiled (mypyc)" if cleaner.COMPILED else "pure Python"
    return f"dedup from {Path(dedup.__file__).parent}, cleaner {kind}"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def thread_counts(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``spy(owner, name)``: from then on each call of ``owner.name`` records numba's thread count
    at that moment in the list ``spy`` returns, and goes on as before."""
    import numba

    def spy(owner: object, name: str) -> list[int]:
        seen: list[int] = []
        real = getattr(owner, name)

        def counting(*args: object) -> object:
            seen.append(numba.get_num_threads())
            return real(*args)

        monkeypatch.setattr(owner, name, counting)
        return seen

    return spy
