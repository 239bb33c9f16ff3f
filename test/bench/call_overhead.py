#!/usr/bin/env python3
"""Per-call overhead: Kiln against Pythran and Numba on four call shapes
(a float identity, a float64[:] argument, a 3-element array result, an
overloaded function called with its second signature), side by side in one
run. Prints nanoseconds per call (best of several timeit rounds) and the
ratio to Pythran.

    /usr/bin/python3 test/bench/call_overhead.py [--kiln build/bin/kiln] [--number 200000]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchutil import build_pythran, load  # noqa: E402

SOURCE = '''
#pythran export ident(float)
#pythran export first(float64[:])
#pythran export three(float)
#pythran export over(int)
#pythran export over(float)
import numpy as np


def ident(x):
    return x


def first(a):
    return a[0]


def three(x):
    return np.full(3, x)


def over(x):
    return x + 1
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiln", default=os.path.join(HERE, "..", "..", "build", "bin", "kiln"))
    ap.add_argument("--number", type=int, default=200000)
    a = ap.parse_args()
    import numpy as np
    work = tempfile.mkdtemp(prefix="kiln-callbench-")
    src = os.path.join(work, "callk.py")
    with open(src, "w") as f:
        f.write(SOURCE)
    subprocess.run([a.kiln, "compile", src, "-o", os.path.join(work, "callk.abi3.so")], check=True)
    mods = {"kiln": load("callk", os.path.join(work, "callk.abi3.so"))}
    py, _, err = build_pythran(SOURCE, "callp", os.path.join(work, "pythran"))
    if py:
        mods["pythran"] = py
    else:
        print("pythran: " + err.splitlines()[-1] if err else "pythran: unavailable")
    try:
        import numba
        ns = {}
        exec(SOURCE, ns)
        mods["numba"] = type("M", (), {n: staticmethod(numba.njit(ns[n]))
                                       for n in ("ident", "first", "three", "over")})
    except Exception as e:  # noqa: BLE001
        print("numba:", e)
    arr = np.arange(5.0)
    shapes = [("float -> float", "ident", (1.5,)), ("float64[:] -> float", "first", (arr,)),
              ("float -> 3-element array", "three", (2.0,)), ("overload (float)", "over", (2.5,))]
    print(f"{'call':28}" + "".join(f"{m:>12}" for m in mods) + "   kiln/pythran")
    for label, fn, args in shapes:
        row = {}
        for m, mod in mods.items():
            f = getattr(mod, fn)
            f(*args)  # compile (Numba), warm up
            t = min(timeit.repeat(lambda: f(*args), number=a.number, repeat=5))
            row[m] = t / a.number * 1e9
        ratio = f"{row['kiln'] / row['pythran']:.2f}x" if "pythran" in row else ""
        print(f"{label:28}" + "".join(f"{row[m]:10.0f}ns" for m in mods) + f"   {ratio:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
