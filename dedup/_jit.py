"""Where numba keeps dedup's compiled kernels: in the user's cache folder, never beside the code.

``numba.njit(cache=True)`` writes its cache files (``*.nbi``, ``*.nbc``) into the ``__pycache__``
folder next to the source whenever that folder is writable, which for ``pip install .`` is
``site-packages/dedup/__pycache__``. pip does not list those files, so ``pip uninstall dedup`` (and the
uninstall inside ``pip install -e .``) leaves a bare ``site-packages/dedup`` folder behind. Python then
imports that folder as an empty namespace package ahead of an editable install, and every
``import dedup`` outside the checkout breaks (numba issue 9312, pip issue 11835; pip only removes the
whole ``__pycache__`` from version 26).

:func:`cached` turns caching on for one kernel with its cache in :func:`cache_dir` instead. numba's own
``NUMBA_CACHE_DIR`` still wins when it is set. If neither that folder nor the fallback in the temporary
folder can be written, numba falls back to its usual places.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, TypeVar

import numba

__all__ = ["cache_dir", "cached"]

_D = TypeVar("_D")

#: numba's settings module; its attributes are set at run time, so the type checker cannot see them.
_config: Any = numba.config


def cache_dir() -> str:
    """``NUMBA_CACHE_DIR`` when set, else ``dedup/numba`` in the user's cache folder.

    The user's cache folder is ``$XDG_CACHE_HOME``, else ``%LOCALAPPDATA%`` on Windows, else
    ``~/.cache``; where that cannot be written (a read-only home), a folder of the user's in the
    temporary folder. Inside, numba keeps one subfolder per source folder, keyed by its path, and
    checks each source file's content before it reuses a kernel, so several installs and checkouts
    share it safely.
    """
    if _config.CACHE_DIR:
        return str(_config.CACHE_DIR)
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    if not base:
        base = os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "dedup", "numba")
    if _writable(path):
        return path
    user = getattr(os, "getuid", lambda: None)()
    return os.path.join(tempfile.gettempdir(), "dedup-numba" if user is None else f"dedup-numba-{user}")


def _writable(path: str) -> bool:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def cached(dispatcher: _D) -> _D:
    """Decorator over ``numba.njit(...)``: cache the kernel's machine code in :func:`cache_dir`.

    The same as ``cache=True`` but for the place. numba picks the folder once, when caching is turned
    on (``Dispatcher.enable_caching``), from ``numba.config.CACHE_DIR``, so that setting is pointed at
    :func:`cache_dir` for that one call and put back at once.
    """
    saved = _config.CACHE_DIR
    _config.CACHE_DIR = cache_dir()
    try:
        dispatcher.enable_caching()  # type: ignore[attr-defined]
    finally:
        _config.CACHE_DIR = saved
    return dispatcher
