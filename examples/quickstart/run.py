"""Compiles kernels.py with Kiln, runs it, and times it against CPython.

    python3 examples/quickstart/run.py [--kiln PATH]
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def best_time(fn, *args, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return result, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", default=os.path.join(ROOT, "build", "bin", "kiln"))
    args = ap.parse_args()

    out = tempfile.mkdtemp(prefix="kiln-quickstart-")
    so = os.path.join(out, "kernels.abi3.so")
    t0 = time.perf_counter()
    subprocess.run([args.kiln, "compile", os.path.join(HERE, "kernels.py"), "-o", so], check=True)
    print("kiln compile kernels.py: %.2f s" % (time.perf_counter() - t0))

    native = load("kernels", so)
    plain = load("kernels_py", os.path.join(HERE, "kernels.py"))

    cases = [("longest_collatz", (300000,)), ("integrate_sin", (0.0, 20.0, 2000000))]
    print("%-18s %-26s %10s %10s %9s" % ("function", "result", "CPython", "Kiln", "speed-up"))
    for name, fargs in cases:
        r_py, t_py = best_time(getattr(plain, name), *fargs, repeat=1)
        r_k, t_k = best_time(getattr(native, name), *fargs)
        ok = r_py == r_k if not isinstance(r_py, float) else abs(r_py - r_k) <= 1e-9 * max(1.0, abs(r_py))
        if not ok:
            print("MISMATCH in %s: CPython %r, Kiln %r" % (name, r_py, r_k))
            sys.exit(1)
        print("%-18s %-26s %9.3fs %9.4fs %8.0fx" % (name, repr(r_k), t_py, t_k, t_py / t_k))


if __name__ == "__main__":
    main()
