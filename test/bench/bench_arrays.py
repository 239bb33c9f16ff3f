"""Array-loop benchmarks: Kiln (bounds checks on and off) against NumPy
(vectorised), Numba @njit and Pythran, in one run.

    /usr/bin/python3 test/bench/bench_arrays.py [--kiln build/bin/kiln] [--quick]

Every result is checked against the NumPy-vectorised reference before
anything is timed; a mismatch is printed and that entry is not timed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from benchutil import best, build_pythran, load

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SRC = os.path.join(HERE, "array_kernels.py")


def numpy_pairwise(x):
    d = x[:, None, :] - x[None, :, :]
    return np.sqrt((d * d).sum(-1))


def numpy_jacobi(u, sweeps):
    a = u.copy()
    b = u.copy()
    for _ in range(sweeps):
        b[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
        a, b = b, a
    return a


def numpy_histogram(x, bins, lo, hi):
    width = (hi - lo) / bins
    v = x[(x >= lo) & (x < hi)]
    k = np.minimum(((v - lo) / width).astype(np.int64), bins - 1)
    return np.bincount(k, minlength=bins).astype(np.int64)


def setups(quick):
    rng = np.random.default_rng(42)
    n_pts = 300 if quick else 2000
    grid = 64 if quick else 512
    nm = 64 if quick else 400
    nh = 10_000 if quick else 10_000_000
    return [
        ("pairwise", (rng.random((n_pts, 3)),), numpy_pairwise),
        ("jacobi", (rng.random((grid, grid)), 10), numpy_jacobi),
        ("matmul", (rng.random((nm, nm)), rng.random((nm, nm))), lambda a, b: a @ b),
        ("histogram", (rng.normal(size=nh), 64, -3.0, 3.0), numpy_histogram),
        ("prefix_sum", (rng.random(nh),), np.cumsum),
        ("dot", (rng.random(nh), rng.random(nh)), np.dot),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", default=os.path.join(ROOT, "build", "bin", "kiln"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    opts = ap.parse_args()
    repeat = 1 if opts.quick else opts.repeat
    out = tempfile.mkdtemp(prefix="kiln-bench-")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    sys.path.insert(0, os.path.join(ROOT, "python"))
    backends = {}
    compile_times = {}
    for label, extra in (("kiln", []), ("kiln-unchecked", ["--unchecked"])):
        # The output's name is the module's name: one per variant.
        so = os.path.join(out, "array_kernels_%s.abi3.so" % label.replace("-", "_"))
        t0 = time.perf_counter()
        subprocess.run([opts.kiln, "compile", SRC, "-O3", "-o", so] + extra, check=True, env=env)
        compile_times[label] = time.perf_counter() - t0
        backends[label] = load("array_kernels_" + label.replace("-", "_"), so)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import numba
        nb = load("array_kernels_nb", SRC)
        for name, _, _ in setups(True):
            setattr(nb, name, numba.njit(getattr(nb, name)))
        backends["numba"] = nb
    except ImportError:
        print("numba: not installed")
    if shutil.which("pythran"):
        src = open(SRC).read()
        # Pythran reads the export comments; it does not take Kiln's annotations.
        src = src.replace("from kiln.types import float64, int64\n", "")
        src = src.replace("x: float64[:, :]", "x").replace("u: float64[:, :]", "u")
        src = src.replace("a: float64[:, :], b: float64[:, :]", "a, b")
        src = src.replace("x: float64[:], bins: int, lo: float, hi: float", "x, bins, lo, hi")
        src = src.replace("x: float64[:]", "x").replace("sweeps: int", "sweeps")
        src = src.replace("a: float64[:], b: float64[:]) -> float", "a, b)")
        mod, secs, err = build_pythran(src, "array_kernels_pt", os.path.join(out, "pythran"))
        compile_times["pythran"] = secs
        if mod:
            backends["pythran"] = mod
        else:
            print("pythran failed:", err)

    names = ["numpy"] + list(backends)
    print("\n%-12s" % "kernel" + "".join("%16s" % n for n in names) +
          "%12s%12s%12s" % ("kiln/numpy", "kiln/peer", "chk/unchk"))
    for name, args, ref_fn in setups(opts.quick):
        ref = ref_fn(*args)
        fns = {"numpy": ref_fn}
        row = {}
        for b, mod in backends.items():
            fn = getattr(mod, name)
            got = fn(*args)
            if not np.allclose(got, ref, rtol=1e-9, atol=1e-12):
                print("MISMATCH %s/%s" % (b, name))
                row[b] = None
                continue
            fns[b] = fn
        # Round-robin repeats, so that no backend always pays first (page
        # faults of fresh large allocations, caches, frequency).
        for _ in range(repeat):
            for b, fn in fns.items():
                t = best(fn, args, 1)
                row[b] = min(row.get(b) or float("inf"), t)
        cells = "".join("%16s" % ("mismatch" if row.get(n) is None else "%.5f" % row[n])
                        for n in names)
        k = row.get("kiln")
        peers = [row[p] for p in ("numba", "pythran") if row.get(p)]
        print("%-12s" % name + cells + "%11.2fx%11.2fx%12.3f" % (
            row["numpy"] / k if k else float("nan"),
            min(peers) / k if k and peers else float("nan"),
            k / row["kiln-unchecked"] if k and row.get("kiln-unchecked") else float("nan")))
    print("\ncompile times:")
    for k, v in compile_times.items():
        print("  %-16s %.2f s" % (k, v))


if __name__ == "__main__":
    main()
