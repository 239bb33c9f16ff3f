"""Deep and unbounded recursion in compiled code raises RecursionError, as
in CPython, instead of running off the end of the thread's stack: on the
main thread, on a thread with a 256 KB stack, through mutual recursion and
from inside a loop's body (today a loop that calls a function stays serial,
so the body runs on the calling thread). Each case runs in a fresh process, so
a crash is a recorded failure rather than a lost test run."""
import os
import subprocess
import sys
import textwrap

from conftest import run_kiln

SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float64, int64

    def depth(n: int) -> int:
        if n == 0:
            return 0
        return 1 + depth(n - 1)

    def forever(n: int) -> int:
        return forever(n + 1) + 1

    def ping(n: int) -> int:
        if n <= 0:
            return 0
        return pong(n - 1) + 1

    def pong(n):
        return ping(n - 1) + 1

    def fib(n: int) -> int:
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)

    def count_down(n, acc):
        if n == 0:
            return acc
        return count_down(n - 1, acc + 1.0)

    def depths(ns: int64[:]):
        out = np.zeros(ns.shape[0])
        for i in range(ns.shape[0]):
            out[i] = count_down(ns[i], 0.0)
        return out
    """)

SCRIPT = """
import threading
import numpy as np
import kiln_rec as m

def raises(f, *a):
    try:
        f(*a)
    except RecursionError as e:
        assert str(e) == "maximum recursion depth exceeded", str(e)
        return True
    return False

assert m.depth(1000) == 1000 and m.ping(1001) == 1002 and m.fib(20) == 6765
assert m.depth(20000) == 20000            # deeper than CPython's default limit
assert raises(m.depth, 10**7)
assert raises(m.forever, 0)
assert raises(m.ping, 10**8)
assert m.depth(1000) == 1000              # usable afterwards

# A thread with a small stack.
seen = []
def small():
    seen.append(raises(m.depth, 10**5))
    seen.append(m.depth(100) == 100)
threading.stack_size(256 * 1024)
t = threading.Thread(target=small)
t.start(); t.join()
threading.stack_size(0)
assert seen == [True, True], seen

# Recursion inside a loop's body; the error reaches the caller, and the
# module is usable afterwards.
ns = np.full(4096, 50, dtype=np.int64)
assert (m.depths(ns) == 50.0).all()
ns[3000] = 10**8
assert raises(m.depths, ns)
ns[3000] = 7
r = m.depths(ns)
assert r[3000] == 7.0 and r[0] == 50.0
print("ok")
"""


def test_recursion_error_not_segfault(kiln, tmp_path):
    (tmp_path / "kiln_rec.py").write_text(SRC)
    r = run_kiln(kiln, "compile", tmp_path / "kiln_rec.py", "-o", tmp_path / "kiln_rec.abi3.so")
    assert r.returncode == 0, r.stderr
    for threads in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path,
                              env=dict(os.environ, PYTHONPATH=str(tmp_path),
                                       KILN_NUM_THREADS=threads))
        assert proc.returncode == 0 and proc.stdout.strip() == "ok", (
            f"exit {proc.returncode} with KILN_NUM_THREADS={threads}\n{proc.stderr}")
