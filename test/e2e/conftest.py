"""Shared fixtures of Kiln's end-to-end tests.

`compile_module(path_or_source_text, name)` compiles a Python source with the
real `kiln` driver into a per-session temporary directory, imports the
extension module from there, and imports the very same source as plain Python
too, so a test can run both on the same inputs and compare.  Each distinct
(source, name, options) triple is compiled once per session.

The compiler is $KILN_BIN, or build/bin/kiln of this repository.  A missing
compiler is a failure, never a silent skip.
"""
import hashlib
import importlib.machinery
import importlib.util
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
REPO = HERE.parent.parent
PYTHON_DIR = REPO / "python"


def kiln_path():
    return os.environ.get("KILN_BIN") or str(REPO / "build" / "bin" / "kiln")


class Compiled:
    """The compiled module (`k`), the same source under CPython (`py`), and
    where the extension module lies (`so`)."""

    def __init__(self, k, py, so, src):
        self.k, self.py, self.so, self.src = k, py, so, src

    def pair(self, fname):
        return getattr(self.k, fname), getattr(self.py, fname)


_counter = itertools.count()


def _load_extension(so_path, name):
    # The init symbol is PyInit_<last component of the spec name>: a dotted,
    # unique spec name keeps sys.modules clean and PyInit_<name> right.
    unique = f"_kiln_e2e_{next(_counter)}.{name}"
    loader = importlib.machinery.ExtensionFileLoader(unique, str(so_path))
    spec = importlib.util.spec_from_file_location(unique, str(so_path), loader=loader)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _load_python(py_path, name):
    unique = f"_kiln_e2e_py_{next(_counter)}_{name}"
    spec = importlib.util.spec_from_file_location(unique, str(py_path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def kiln():
    path = kiln_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"the Kiln compiler is missing: {path} (set KILN_BIN or build it with "
                    f"`make -C build kiln`)", pytrace=False)
    return path


def run_kiln(kiln_bin, *args, **kw):
    # diagnostics echo source lines, which may hold invalid UTF-8: decode leniently
    return subprocess.run([kiln_bin, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", errors="replace",
                          timeout=kw.pop("timeout", 120), **kw)


def build_in(kiln_bin, directory, name, source, keep_source=True):
    """Compiles `source` into `directory`/`name`.abi3.so (for tests that run
    the module in other processes, which import it by name from there) and
    returns the directory. Without keep_source, the .py is removed so that
    `import name` there finds only the compiled module."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    py = directory / f"{name}.py"
    py.write_text(source)
    r = run_kiln(kiln_bin, "compile", py, "-o", directory / f"{name}.abi3.so")
    assert r.returncode == 0, r.stderr
    if not keep_source:
        py.unlink()
    return directory


@pytest.fixture(scope="session")
def compile_module(kiln, tmp_path_factory):
    root = tmp_path_factory.mktemp("kiln_e2e")
    cache = {}

    # Differential tests check Python's semantics bit for bit, so by default
    # they keep Python's order of float sums (--strict-fp); test_reductions.py
    # covers the default, reassociating mode. Pass options=("-O2",) for it.
    def compile_(path_or_source, name=None, options=("--strict-fp",)):
        if isinstance(path_or_source, Path) or (
                "\n" not in str(path_or_source) and str(path_or_source).endswith(".py")):
            p = Path(path_or_source)
            if not p.is_absolute() and not p.exists():
                p = CASES / p
            src = p.read_text(encoding="utf-8")
            name = name or p.stem
        else:
            src = str(path_or_source)
            assert name, "a module name is needed for source text"
        key = (hashlib.sha256(src.encode()).hexdigest(), name, tuple(options))
        if key in cache:
            if isinstance(cache[key], str):
                pytest.fail(cache[key], pytrace=False)
            return cache[key]
        d = root / f"m{len(cache)}"
        d.mkdir()
        py = d / f"{name}.py"
        py.write_text(src, encoding="utf-8")
        so = d / f"{name}.abi3.so"
        proc = run_kiln(kiln, "compile", py, "-o", so, *options)
        if proc.returncode != 0 or not so.exists():
            cache[key] = (f"kiln failed to compile {name}.py (exit {proc.returncode}):\n"
                          f"{proc.stdout}{proc.stderr}")
            pytest.fail(cache[key], pytrace=False)
        if str(PYTHON_DIR) not in sys.path:
            sys.path.append(str(PYTHON_DIR))  # kiln.types for the CPython import
        result = Compiled(_load_extension(so, name), _load_python(py, name), so, src)
        cache[key] = result
        return result

    return compile_
