#!/usr/bin/env python3
"""Compile time against input size (RELIABILITY.md row 33), on demand.

For each shape of input at several sizes, times `kiln compile --emit=kir`
(frontend and Kiln's passes) and the full module build (with LLVM), and
prints a table with the growth factor between consecutive sizes (about 10x
for 10x the size means linear).

    /usr/bin/python3 test/bench/compile_scaling.py [--kiln build/bin/kiln] [--quick]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def lines(n):
    return ("def f(x: float) -> float:\n    s = x\n" +
            "".join(f"    s = s * 0.5 + {i % 7}.0\n" for i in range(n)) + "    return s\n")


def long_expr(n):
    return "def f(x: float) -> float:\n    return " + " + ".join(["x"] * n) + "\n"


def local_vars(n):
    return ("def f(x: float) -> float:\n" +
            "".join(f"    v{i} = x * {i}.0\n" for i in range(n)) +
            "    return " + " + ".join(f"v{i}" for i in range(0, n, max(1, n // 50))) + "\n")


def helper_chain(n):
    src = [f"def g{i}(x):\n    return g{i + 1}(x) + 1\n" for i in range(n)]
    src.append(f"def g{n}(x):\n    return x\n")
    src.append("def f(x: int) -> int:\n    return g0(x)\n")
    return "\n".join(src)


def tuple_result(n):
    return "def f(x: float):\n    return (" + ", ".join(f"x + {i}.0" for i in range(n)) + ")\n"


SHAPES = [
    ("lines of one function", lines, [1000, 10000, 100000]),
    ("terms of one expression", long_expr, [1000, 10000, 40000]),
    ("locals", local_vars, [2000, 20000]),
    ("helpers in a call chain", helper_chain, [10, 100, 1000]),
    ("tuple elements", tuple_result, [100, 1000]),
]


def timed(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["?"])[0]
    return dt, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiln", default=os.path.join(HERE, "..", "..", "build", "bin", "kiln"))
    ap.add_argument("--quick", action="store_true", help="the two smallest sizes only")
    a = ap.parse_args()
    print(f"{'input':26} {'size':>8} {'kir (s)':>9} {'module (s)':>11} {'growth':>7}")
    with tempfile.TemporaryDirectory() as d:
        for label, make, sizes in SHAPES:
            prev = None
            for n in sizes[:2] if a.quick else sizes:
                src = os.path.join(d, f"scale_{make.__name__}_{n}.py")
                with open(src, "w") as f:
                    f.write(make(n))
                kir, err = timed([a.kiln, "compile", src, "--emit=kir", "-o", os.devnull])
                mod, err2 = timed([a.kiln, "compile", src, "-o", src[:-3] + ".abi3.so"])
                growth = f"{mod / prev:6.1f}x" if mod and prev else ""
                fmt = lambda t: f"{t:9.2f}" if t is not None else "   failed"
                print(f"{label:26} {n:>8} {fmt(kir)} {fmt(mod):>11} {growth:>7}"
                      + (f"  ({err or err2})" if err or err2 else ""), flush=True)
                prev = mod
    return 0


if __name__ == "__main__":
    sys.exit(main())
