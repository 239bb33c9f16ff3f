#!/usr/bin/env python3
"""Oversubscription: a parallel Kiln kernel run by multiprocessing.Pool(P)
workers (spawn and fork), each worker with Kiln's default thread count and
with one thread, side by side in one run. Prints seconds per batch of tasks
(best of several batches).

    /usr/bin/python3 test/bench/pool_oversubscription.py [--kiln build/bin/kiln] [--procs P]
"""
import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SOURCE = '''
import numpy as np
from kiln.types import float64


def work(x: float64[:], reps: int) -> float:
    s = 0.0
    for r in range(reps):
        s += np.sum(np.sqrt(np.abs(x * 1.0001 - r)))
    return s
'''


def init(threads):
    import kiln
    if threads:
        kiln.set_num_threads(threads)


def task(n):
    import numpy as np
    import poolk
    return poolk.work(np.arange(float(n)), 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiln", default=os.path.join(ROOT, "build", "bin", "kiln"))
    ap.add_argument("--procs", type=int, default=os.cpu_count())
    ap.add_argument("--tasks", type=int, default=16)
    ap.add_argument("--n", type=int, default=400_000)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="kiln-pool-")
    with open(os.path.join(work, "poolk.py"), "w") as f:
        f.write(SOURCE)
    subprocess.run([a.kiln, "compile", os.path.join(work, "poolk.py"), "-o",
                    os.path.join(work, "poolk.abi3.so")], check=True)
    os.remove(os.path.join(work, "poolk.py"))
    sys.path[:0] = [work, os.path.join(ROOT, "python")]
    os.environ["PYTHONPATH"] = os.pathsep.join([work, os.path.join(ROOT, "python"),
                                                os.environ.get("PYTHONPATH", "")])
    print(f"{a.procs} worker processes, {a.tasks} tasks of {a.n} elements, {os.cpu_count()} CPUs")
    for method in ("spawn", "fork"):
        for threads, label in ((0, "default threads"), (1, "1 thread each")):
            with mp.get_context(method).Pool(a.procs, initializer=init, initargs=(threads,)) as p:
                p.map(task, [a.n] * a.procs)  # warm up: import, first call
                best = float("inf")
                for _ in range(5):
                    t0 = time.perf_counter()
                    p.map(task, [a.n] * a.tasks)
                    best = min(best, time.perf_counter() - t0)
            print(f"  {method:6} {label:16} {best:.4f} s")


if __name__ == "__main__":
    main()
