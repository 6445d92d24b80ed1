"""numba's cache for dedup's kernels lives in the user's cache folder, never beside the installed code.

A cache file inside ``site-packages/dedup`` outlives ``pip uninstall`` and turns the folder into an
empty namespace package that hides a later editable install (see :mod:`dedup._jit`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numba
import pytest

import dedup
from dedup import _jit, band, cluster, signature, verify

PACKAGE_DIR = Path(dedup.__file__).resolve().parent


def _dispatchers() -> dict[str, numba.core.dispatcher.Dispatcher]:
    found = {}
    for module in (band, cluster, signature, verify):
        for name, value in vars(module).items():
            if isinstance(value, numba.core.dispatcher.Dispatcher):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_cached_kernel_caches_in_the_user_cache_folder() -> None:
    cached = {name: d._cache.cache_path for name, d in _dispatchers().items() if d._cache.cache_path}
    # The kernels that take seconds to compile are all among them, so the check cannot pass empty.
    for name in ("dedup.signature._sign_kernel", "dedup.band._band_keys_kernel",
                 "dedup.verify._similarities_kernel", "dedup.cluster._union_pairs"):
        assert name in cached
    root = Path(_jit.cache_dir()).resolve()
    for name, path in cached.items():
        assert Path(path).resolve().is_relative_to(root), (name, path)
        assert not Path(path).resolve().is_relative_to(PACKAGE_DIR), (name, path)


def test_cache_dir_follows_xdg_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_jit._config, "CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _jit.cache_dir() == str(tmp_path / "xdg" / "dedup" / "numba")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if os.name != "nt":
        assert _jit.cache_dir() == str(tmp_path / "home" / ".cache" / "dedup" / "numba")
    monkeypatch.setattr(_jit._config, "CACHE_DIR", str(tmp_path / "numba-own"))
    assert _jit.cache_dir() == str(tmp_path / "numba-own")


def test_cached_puts_numba_setting_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_jit._config, "CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    @_jit.cached
    @numba.njit
    def double(x: int) -> int:
        return 2 * x

    assert _jit._config.CACHE_DIR == ""
    assert Path(double._cache.cache_path).is_relative_to(tmp_path / "dedup" / "numba")


_RUN_KERNEL = """
import json, sys
from pathlib import Path
import numpy as np
import dedup
from dedup.cluster import UnionFind
package = Path(dedup.__file__).resolve().parent
def beside_code():
    return {str(p): p.stat().st_mtime_ns for p in package.rglob("*.nb[ic]")}
before = beside_code()
uf = UnionFind(4)
uf.union_pairs(np.array([[0, 1], [2, 3]], dtype=np.int64))
roots = uf.roots().tolist()
print(json.dumps({"roots": roots, "unchanged": beside_code() == before}))
"""


def test_a_fresh_process_writes_its_cache_outside_the_package(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_DIR.parent), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", _RUN_KERNEL], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["roots"] == [0, 0, 2, 2]
    assert result["unchanged"], "a kernel wrote its numba cache beside dedup's code"
    written = sorted(p.name for p in (tmp_path / "dedup" / "numba").rglob("*.nbi"))
    assert any(name.startswith("cluster._union_pairs-") for name in written), written



def test_cache_dir_falls_back_to_temp_when_the_cache_folder_cannot_be_made(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setattr(_jit._config, "CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    path = Path(_jit.cache_dir())
    assert not path.is_relative_to(not_a_folder)
    assert path.parent == Path(tempfile.gettempdir()) and path.name.startswith("dedup-numba")
