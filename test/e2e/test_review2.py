"""Review of loop temporaries, bounds checks, reductions and chunked loops.

Differential tests: each program is compiled with Kiln and also run under
CPython; results (or exceptions) must agree.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest


def _outcome(f, *args):
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001
        return ("err", type(e).__name__, str(e))


# ---------------------------------------------------------------------------
# BoundsChecks: slot extents keyed by a value that changes between loop
# iterations.  `buf` keeps the array allocated with extent k == 1 while later
# iterations loop to the *current* k; the check on buf[j] is dropped
# (in_bounds) although j reaches 1 while len(buf) == 1.

LOOP_VARIANT_EXTENT = textwrap.dedent("""
    import numpy as np

    def f(m: int) -> float:
        s = 0.0
        for k in range(1, m):
            if k == 1:
                buf = np.ones(k)
            for j in range(k):
                s += buf[j]
        return s
""")


def test_slot_extent_keyed_by_loop_variant_value(compile_module):
    m = compile_module(LOOP_VARIANT_EXTENT, "rv2_loopvariant_extent")
    k, py = m.pair("f")
    assert _outcome(py, 5)[:2] == ("err", "IndexError")
    got = _outcome(k, 5)
    assert got == _outcome(py, 5), f"compiled: {got!r}"
    # no out-of-bounds access when in range
    assert k(2) == py(2)


# ---------------------------------------------------------------------------
# BoundsChecks: the slot-extent fixpoint stops after 16 rounds.  A chain of
# 17 copies `s16 = s17; ...; s1 = s2` written against slot order needs one
# round per link, so s1 is still believed to hold only arrays of len(a) and
# the check on s1[i] is dropped although s1 can be the shorter b.

def _chain_source(n):
    lines = ["from kiln.types import float64", "",
             "def f(a: float64[:], b: float64[:], c: int) -> float:"]
    lines += [f"    s{i} = a" for i in range(1, n + 1)]
    lines += ["    if c > 0:", f"        s{n} = b"]
    lines += [f"        s{i} = s{i + 1}" for i in range(n - 1, 0, -1)]
    lines += ["    t = 0.0",
              "    for i in range(a.shape[0]):",
              "        t += s1[i]",
              "    return t"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("n", [10, 16, 17, 20])
def test_slot_extent_fixpoint_round_limit(compile_module, n):
    m = compile_module(_chain_source(n), f"rv2_chain{n}")
    k, py = m.pair("f")
    a, b = np.ones(5), np.ones(2)
    expected = _outcome(py, a, b, 1)
    assert expected[:2] == ("err", "IndexError")
    got = _outcome(k, a, b, 1)
    assert got == expected, f"compiled: {got!r}"
    assert k(a, b, 0) == py(a, b, 0) == 5.0


# ---------------------------------------------------------------------------
# Regression probes that pass today: loop temporaries (run in a subprocess
# with freed memory overwritten), chunked loops around 65536 iterations.

LOOP_TEMPS = '''
import numpy as np


def ident(x):
    return x


def pick(x, y, c):
    if c:
        return x
    return y


def mk(n, v):
    r = np.empty(n)
    for i in range(n):
        r[i] = v + i
    return r


def f1(n: int) -> float:
    s = 0.0
    for i in range(n):
        t = np.full(4, float(i))
        u = ident(t)
        for j in range(4):
            s += u[j]
    return s


def f2(n: int) -> float:
    s = 0.0
    keep = np.zeros(4)
    for i in range(n):
        t = mk(4, float(i))
        w = pick(keep, t, i % 2 == 0)
        s += w[3]
    return s


def f3(n: int) -> float:
    s = 0.0
    i = 0
    while np.full(3, float(i))[2] < n:
        t = mk(3, float(i))
        s += t[1]
        i += 1
    return s


def f5(n: int) -> float:
    s = 0.0
    for i in range(n):
        xs = np.arange(5.0)
        for x in xs:
            s += x + i
        for k, y in enumerate(mk(3, 1.0)):
            s += y * k
        for a, b in zip(mk(3, 2.0), mk(4, float(i))):
            s += a * b
    return s


def f6(n: int):
    out = np.zeros(n)
    for i in range(n):
        t = mk(3, float(i))
        if i == 2:
            continue
        out[i] = t[2]
        if i == n - 2:
            break
    else:
        out[0] = -1.0
    return out


def f7(n: int) -> float:
    s = 0.0
    for i in range(n):
        t = mk(3, float(i))
        p = (t, i)
        q = p
        s += q[0][1] + q[1]
    return s


def f8(n: int) -> float:
    s = 0.0
    prev = np.zeros(3)
    for i in range(n):
        cur = mk(3, float(i))
        s += prev[0] + cur[0]
        prev = cur
    return s


def f9(n: int):
    t = mk(3, 0.0)
    for i in range(n):
        t = mk(3, float(i))
    return t


def f10(n: int) -> float:
    s = 0.0
    for i in range(n):
        for j in range(3):
            if j > 0:
                s += t[0]
            t = mk(3, float(i * 10 + j))
    return s


def f11(n: int) -> float:
    s = 0.0
    for i in range(n):
        t = mk(3, float(i))
        for j in range(3):
            s += t[0]
            t = mk(3, float(i * 10 + j))
        s += t[2]
    return s
'''

_RUNNER = '''
import importlib.machinery, importlib.util, sys
so, name = sys.argv[1], sys.argv[2]
loader = importlib.machinery.ExtensionFileLoader(name, so)
spec = importlib.util.spec_from_file_location(name, so, loader=loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
for fn in sys.argv[3:]:
    for n in (1, 5, 40):
        r = getattr(m, fn)(n)
        print(fn, n, repr(r.tolist() if hasattr(r, "tolist") else r))
'''

_LT_FUNCS = ["f1", "f2", "f3", "f5", "f6", "f7", "f8", "f9", "f10", "f11"]


def test_loop_temporaries_use_after_free_probes(compile_module, tmp_path):
    m = compile_module(LOOP_TEMPS, "rv2_looptemps")
    runner = tmp_path / "runner.py"
    runner.write_text(_RUNNER)
    env = dict(os.environ, PYTHONMALLOC="malloc", MALLOC_PERTURB_="165")
    proc = subprocess.run([sys.executable, str(runner), str(m.so), "rv2_looptemps", *_LT_FUNCS],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    expected = []
    for fn in _LT_FUNCS:
        for n in (1, 5, 40):
            r = getattr(m.py, fn)(n)
            expected.append(f"{fn} {n} {r.tolist() if hasattr(r, 'tolist') else r!r}")
    assert proc.stdout.splitlines() == expected


CHUNKS = '''
def s1(lo: int, hi: int, st: int):
    c = 0
    h = 0
    for i in range(lo, hi, st):
        c += 1
        h = (h * 31 + i % 1000003) % 1000000007
    return (c, h)


def s2(lo: int, hi: int, st: int, stop: int):
    c = 0
    last = -1
    for i in range(lo, hi, st):
        if c == stop:
            break
        c += 1
        last = i
    else:
        c += 1000000
    return (c, last)
'''

B = 2 ** 63


@pytest.mark.parametrize("n", [65535, 65536, 65537, 131071, 131072, 131073])
@pytest.mark.parametrize("st", [1, 3, -1, -65536])
def test_chunked_loop_trip_counts(compile_module, n, st):
    m = compile_module(CHUNKS, "rv2_chunks")
    hi = n if st > 0 else -n
    assert m.k.s1(0, hi, st) == m.py.s1(0, hi, st)
    for stop in (0, 65535, 65536, 65537, 131072, 10 ** 9):
        assert m.k.s2(0, hi, st, stop) == m.py.s2(0, hi, st, stop)


@pytest.mark.parametrize("lo,hi,st", [(-B, B - 1, 2 ** 62), (-B, B - 1, B - 1), (B - 1, -B, -B),
                                      (B - 1, -B, -(B - 1)), (B - 131073, B - 1, 1),
                                      (B - 1, B - 200000, -1), (0, B - 1, 2 ** 47),
                                      (B - 1, -B, -2 ** 47)])
def test_chunked_loop_extreme_ranges(compile_module, lo, hi, st):
    m = compile_module(CHUNKS, "rv2_chunks")
    assert m.k.s1(lo, hi, st) == m.py.s1(lo, hi, st)
    assert m.k.s2(lo, hi, st, 65536) == m.py.s2(lo, hi, st, 65536)
