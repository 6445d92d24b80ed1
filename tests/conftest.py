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
