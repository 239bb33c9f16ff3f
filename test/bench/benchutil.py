"""Helpers shared by the benchmark scripts: loading modules, timing, and
building the Pythran variant of a kernel file."""
import importlib.util
import os
import subprocess
import sys
import time


def load(name, path):
    """Imports the module at `path` (a .py or an extension) as `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # Numba resolves recursive calls through sys.modules
    spec.loader.exec_module(mod)
    return mod


def best(fn, args, repeat):
    """Best wall time of `repeat` calls, in seconds."""
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        t = min(t, time.perf_counter() - t0)
    return t


def build_pythran(source_text, name, workdir):
    """Compiles `source_text` (with its #pythran export comments) with
    `pythran -O3 -march=native` as module `name` in `workdir`. Returns
    (module or None, seconds taken, error text)."""
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(workdir, name + ".py"), "w") as f:
        f.write(source_text)
    t0 = time.perf_counter()
    r = subprocess.run(["pythran", "-O3", "-march=native", name + ".py"],
                       cwd=workdir, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        return None, seconds, r.stderr[-2000:]
    so = [f for f in os.listdir(workdir) if f.endswith(".so")][0]
    return load(name, os.path.join(workdir, so)), seconds, ""
