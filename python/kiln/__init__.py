"""Kiln: an ahead-of-time compiler for annotated numeric Python.

This small package makes Kiln's annotations real Python objects (see
``kiln.types``), so an annotated source file still runs unchanged under
CPython, and lets Python code find and drive the ``kiln`` compiler.
"""

__version__ = "0.1.0"

import os as _os
import shutil as _shutil
import subprocess as _subprocess
import sys as _sys


def _installed_compiler():
    """The `kiln` installed with this package (``<prefix>/bin/kiln``), if any."""
    try:
        from kiln import _install  # written by `cmake --install`
    except ImportError:
        return None
    here = _os.path.dirname(_os.path.abspath(__file__))
    path = _os.path.normpath(_os.path.join(here, _install.BINDIR, "kiln"))
    return path if _os.access(path, _os.X_OK) else None


def _source_tree_compiler():
    """build/bin/kiln of a source checkout this package was imported from."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    path = _os.path.normpath(_os.path.join(here, "..", "..", "build", "bin", "kiln"))
    return path if _os.access(path, _os.X_OK) else None


def compiler_path():
    """Path of the ``kiln`` executable.

    In order: $KILN_BIN; the ``kiln`` installed together with this package
    (``cmake --install`` puts the package and the compiler under one prefix);
    ``kiln`` on PATH; ``build/bin/kiln`` of a source checkout.
    """
    env = _os.environ.get("KILN_BIN")
    if env:
        return env
    found = _installed_compiler() or _shutil.which("kiln") or _source_tree_compiler()
    if not found:
        raise FileNotFoundError("cannot find the `kiln` compiler: it is not installed next to "
                                "this `kiln` package nor on PATH; set KILN_BIN to its path")
    return found


def compile(source, output=None, opt_level=2, extra_args=()):
    """Compiles ``source`` (a .py file) into an importable module.

    Returns the path of the module. Raises ``subprocess.CalledProcessError``
    with Kiln's diagnostics in ``stderr`` when compilation fails.
    """
    cmd = [compiler_path(), "compile", str(source), "-O%d" % opt_level]
    if output:
        cmd += ["-o", str(output)]
    cmd += list(extra_args)
    _subprocess.run(cmd, check=True, capture_output=True, text=True)
    if output:
        return str(output)
    stem = _os.path.basename(str(source)).split(".")[0]
    return stem + ".abi3.so"



# ---- Threads -----------------------------------------------------------------

def _loaded_modules():
    return [m for m in list(_sys.modules.values())
            if hasattr(m, "__kiln_abi__") and hasattr(m, "_set_num_threads")]


def set_num_threads(n):
    """Sets how many threads the parallel loops of every Kiln module of this
    process use (at least 1). Before any Kiln module is imported, the count
    goes to $KILN_NUM_THREADS, which modules read when they load (and child
    processes inherit)."""
    n = int(n)
    if n < 1:
        raise ValueError(f"set_num_threads(): n must be at least 1, got {n}")
    mods = _loaded_modules()
    if not mods:
        _os.environ["KILN_NUM_THREADS"] = str(n)
    for m in mods:  # one call suffices within a runtime hub; all is cheap
        m._set_num_threads(n)


def get_num_threads():
    """The thread count Kiln's parallel loops use now."""
    mods = _loaded_modules()
    if mods:
        return mods[0]._get_num_threads()
    env = _os.environ.get("KILN_NUM_THREADS") or _os.environ.get("OMP_NUM_THREADS") or ""
    try:
        return max(1, int(env.split(",")[0]))
    except ValueError:
        return len(_os.sched_getaffinity(0))


class num_threads:
    """``with kiln.num_threads(1): ...`` runs the block's Kiln calls on that
    many threads and restores the previous count afterwards."""

    def __init__(self, n):
        self.n = n

    def __enter__(self):
        self.previous = get_num_threads()
        self.env = _os.environ.get("KILN_NUM_THREADS")
        set_num_threads(self.n)
        return self

    def __exit__(self, *exc):
        set_num_threads(self.previous)
        if self.env is None:
            _os.environ.pop("KILN_NUM_THREADS", None)
        else:
            _os.environ["KILN_NUM_THREADS"] = self.env
        return False
