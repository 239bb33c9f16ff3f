"""Scalar benchmarks: Kiln against CPython, Numba @njit and Pythran, in one run.

    /usr/bin/python3 test/bench/bench_scalar.py [--kiln build/bin/kiln] [--quick]

Prints one table (best of N, seconds; speed-up over CPython; ratio to the
best peer) and the compile times. Results of every backend are checked
against CPython's before anything is timed.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import warnings

from benchutil import build_pythran, load

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SRC = os.path.join(HERE, "scalar_kernels.py")

# name, args (full), args (quick), CPython repeat count
CASES = [
    ("collatz_max", (1_000_000,), (20_000,)),
    ("sieve_count", (300_000,), (5_000,)),
    ("integrate", (0.0, 20.0, 5_000_000), (0.0, 20.0, 50_000)),
    ("monte_carlo_pi", (5_000_000, 7), (50_000, 7)),
    ("fib", (30,), (18,)),
]


def timeit(fn, args, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", default=os.path.join(ROOT, "build", "bin", "kiln"))
    ap.add_argument("--quick", action="store_true", help="small inputs, one repeat")
    ap.add_argument("--repeat", type=int, default=5)
    opts = ap.parse_args()
    repeat = 1 if opts.quick else opts.repeat
    out = tempfile.mkdtemp(prefix="kiln-bench-")
    backends = {}
    compile_times = {}

    t0 = time.perf_counter()
    subprocess.run([opts.kiln, "compile", SRC, "-O3", "-o", os.path.join(out, "scalar_kernels.abi3.so")], check=True)
    compile_times["kiln -O3"] = time.perf_counter() - t0
    backends["kiln"] = load("scalar_kernels", os.path.join(out, "scalar_kernels.abi3.so"))
    plain = load("scalar_kernels_py", SRC)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import numba

        class NumbaMod:
            pass

        nb = load("scalar_kernels_nb", SRC)
        # Helpers first, so the exported kernels see jitted callees.
        for n in ["collatz_len"] + [c[0] for c in CASES]:
            setattr(nb, n, numba.njit(getattr(nb, n)))
        backends["numba"] = nb
    except ImportError:
        print("numba: not installed")

    if shutil.which("pythran"):
        mod, secs, err = build_pythran(open(SRC).read(), "scalar_kernels_pt",
                                       os.path.join(out, "pythran"))
        compile_times["pythran -O3"] = secs
        if mod:
            backends["pythran"] = mod
        else:
            print("pythran failed:", err)
    else:
        print("pythran: not installed")

    names = ["cpython"] + list(backends)
    print("\n%-16s" % "kernel" + "".join("%14s" % n for n in names) + "%12s%12s" % ("kiln/cpy", "kiln/peer"))
    geo = {n: [] for n in names}
    for name, full, quick in CASES:
        args = quick if opts.quick else full
        ref_fn = getattr(plain, name)
        ref = ref_fn(*args)
        t_ref, _ = timeit(ref_fn, args, 1)
        row = {"cpython": t_ref}
        for b, mod in backends.items():
            fn = getattr(mod, name)
            t_first0 = time.perf_counter()
            got = fn(*args)
            first = time.perf_counter() - t_first0
            if b == "numba":
                compile_times.setdefault("numba first calls", 0.0)
                compile_times["numba first calls"] += first
            if not same(ref, got):
                row[b] = None
                print("MISMATCH %s/%s: CPython %r, got %r" % (b, name, ref, got))
                continue
            row[b], _ = timeit(fn, args, repeat)
        cells = []
        for n in names:
            cells.append("%14s" % ("mismatch" if row.get(n) is None else "%.5f" % row[n]))
            if row.get(n):
                geo[n].append(t_ref / row[n])
        peers = [row[p] for p in ("numba", "pythran") if row.get(p)]
        ratio = (min(peers) / row["kiln"]) if peers and row.get("kiln") else float("nan")
        print("%-16s" % name + "".join(cells) + "%11.1fx%11.2fx" % (t_ref / row["kiln"], ratio))
    print("\ngeometric-mean speed-up over CPython:")
    for n in names[1:]:
        if geo[n]:
            g = 1.0
            for x in geo[n]:
                g *= x
            print("  %-8s %8.1fx" % (n, g ** (1.0 / len(geo[n]))))
    print("\ncompile times:")
    for k, v in compile_times.items():
        print("  %-20s %.2f s" % (k, v))


if __name__ == "__main__":
    main()
