"""Build script: the project's metadata is in pyproject.toml; this file only adds the compiled cleaner.

The cleaner's hot modules (``dedup/clean/__init__.py``, ``lines.py``, ``rules.py``, ``repair.py``) are
plain, typed Python; when a wheel is built (``pip install .``) they are also compiled with mypyc,
which runs them about 1.4x faster with the same results, and ``dedup/clean/_native.c`` (the loops
over a line's characters, each with its stand-in in Python) is built beside them. The pure-Python modules stay in the package, and the
build falls back to them, with a warning, when:

* ``DEDUP_PURE_PYTHON=1`` is set;
* the install is editable (``pip install -e .``): a compiled module would shadow the source a
  developer edits, so an editable checkout always runs its ``.py`` files;
* mypyc or a working C compiler is missing, or mypyc fails (CI checks that it does not).

``from dedup.clean import COMPILED`` tells at run time which one is in use.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings

from setuptools import Extension, setup

COMPILED_MODULES = ["dedup/clean/__init__.py", "dedup/clean/lines.py", "dedup/clean/rules.py", "dedup/clean/repair.py"]


def _compiler_works() -> bool:
    """Whether a C extension can be built here (a compiler and the Python headers)."""
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    cmd = build_ext(Distribution())
    cmd.finalize_options()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write("#include <Python.h>\nint probe(void) { return 0; }\n")
        try:
            from setuptools._distutils.ccompiler import new_compiler
            from setuptools._distutils.sysconfig import customize_compiler

            cc = new_compiler()
            customize_compiler(cc)
            cc.compile([src], output_dir=tmp, include_dirs=cmd.include_dirs)
        except Exception as exc:  # noqa: BLE001 (any failure means: no compiled cleaner)
            warnings.warn(f"dedup: no working C compiler ({exc}); installing the pure-Python cleaner", stacklevel=1)
            return False
    return True


def _ext_modules() -> list:
    if os.environ.get("DEDUP_PURE_PYTHON") == "1":
        return []
    commands = sys.argv[1:]
    if any(arg.startswith("editable") or arg == "develop" for arg in commands):
        return []
    if not any(arg in ("bdist_wheel", "build", "build_ext", "install") for arg in commands):
        return []  # metadata only (egg_info, dist_info, sdist): no need to run mypyc
    try:
        from mypyc.build import mypycify
    except ImportError:
        warnings.warn("dedup: mypyc is not available; installing the pure-Python cleaner", stacklevel=1)
        return []
    if not _compiler_works():
        return []
    try:
        # mypy follows the cleaner's imports into the rest of the package (dedup/signature.py,
        # which imports numba). Whether a "type: ignore" there is used depends on whether numba is
        # installed where the build runs: on a fresh machine `pip install .` builds the wheel before
        # installing the dependencies, and the project's warn_unused_ignores made mypyc fail there
        # (the pure-Python fallback, with a warning). That warning is the linter's business (CI runs
        # mypy with it), not the compiler's.
        compiled = mypycify(["--no-warn-unused-ignores", *COMPILED_MODULES], opt_level="3")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 (mypyc exits on a type error it finds)
        warnings.warn(f"dedup: mypyc failed ({exc}); installing the pure-Python cleaner", stacklevel=1)
        return []
    return [*compiled, *C_MODULES]


#: Hand-written C, each function with its stand-in in Python (see dedup/clean/_native.c).
C_MODULES = [Extension("dedup.clean._native", ["dedup/clean/_native.c"], extra_compile_args=["-O3"])]


setup(ext_modules=_ext_modules())
