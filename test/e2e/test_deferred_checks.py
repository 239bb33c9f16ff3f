"""Loops whose checks are deferred (passes/DeferChecks.cpp): they run
vectorised with each failing check gathered in a flag, then again, checked,
from the saved variables when one failed. Whatever path runs, results and
errors must be CPython's: the exception of the first failing iteration,
with its message, and every variable as the loop leaves it."""
import math

import numpy as np
import pytest

SRC = '''
import math
import numpy as np
from kiln.types import float64, int64


def sqrt_sum(x: float64[:]) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        s += math.sqrt(x[i])
    return s


def ratio_sum(x: float64[:], y: float64[:]) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        s += float(x[i]) / float(y[i])
    return s


def shifted(x: float64[:], y: float64[:]) -> float:
    # y[i + 3] and x[i - 1] are tested once before the loop, for its first
    # and last i
    s = 0.0
    for i in range(1, x.shape[0]):
        s += x[i] * y[i + 3] - x[i - 1]
    return s


def gathered(x: float64[:], idx: int64[:]) -> float:
    # x[idx[i]]: not affine, checked through the flag
    s = 0.0
    for i in range(idx.shape[0]):
        s += x[idx[i]]
    return s


def last_and_count(x: float64[:], lim: float):
    # variables the loop leaves behind, and an explicit raise
    last = -1.0
    n = 0.0
    for i in range(x.shape[0]):
        if x[i] > lim:
            raise ValueError("too large")
        last = x[i]
        n += 1.0
    return last, n


def to_int(x: float64[:]) -> int:
    t = 0
    for i in range(x.shape[0]):
        t = int(x[i])
    return t


def divisible(a: int64[:], k: int) -> int:
    # Python's int % is not deferred (a zero divisor would trap): checked
    c = 0
    for i in range(a.shape[0]):
        if int(a[i]) % k == 0:
            c += 1
    return c


def via_int(x: float64[:], y: float64[:]) -> float:
    # int() of a float as an index: NaN and huge values must raise
    s = 0.0
    for i in range(y.shape[0]):
        s += x[int(y[i])]
    return s


def big_abs(a: int64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        if abs(int(a[i])) > 5:
            s += 1.0
    return s


def long_loop(y: float64[:], n: int) -> float:
    # fails at the first iteration of a very long loop: raises at once
    s = 0.0
    for i in range(n):
        s += 1.0 / float(y[0])
    return s


def up_to(x: float64[:], n: int) -> float:
    # x[i + 2] with n near 2**63: the guard must not overflow
    s = 0.0
    for i in range(n):
        s += x[i + 2]
    return s


def column_walk(pos: float64[:, :], xi: float) -> float:
    # pos[j, 0]: the row offset is frozen (vectorised with gathers); any
    # layout
    s = 0.0
    for j in range(pos.shape[0]):
        dx = float(pos[j, 0]) - xi
        s += dx / math.sqrt(dx * dx + pos[j, 1] * pos[j, 1] + 0.01) / (float(pos[j, 2]) - xi)
    return s


def logs(x: float64[:]) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        s += math.log(x[i]) + math.exp(-x[i])
    return s
'''


@pytest.fixture(scope="module")
def m(compile_module):
    # --strict-fp off: the sums may be reassociated (vectorised)
    return compile_module(SRC, "deferred", options=("-O2",))


def outcome(f, *args):
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e).__name__, str(e))


def same(m, name, *args):
    got, want = outcome(getattr(m.k, name), *args), outcome(getattr(m.py, name), *args)
    assert got[0] == want[0], (name, got, want)
    if got[0] == "err":
        assert got[1:] == want[1:], name
    else:
        g = got[1] if isinstance(got[1], tuple) else (got[1],)
        w = want[1] if isinstance(want[1], tuple) else (want[1],)
        for a, b in zip(g, w):
            if isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-12, abs=1e-12) or (math.isnan(a) and math.isnan(b))
            else:
                assert a == b
    return got[0]


SIZES = [0, 1, 7, 8, 9, 33, 1000]


def test_no_failure(m):
    rng = np.random.default_rng(71)
    for n in SIZES:
        x = rng.random(n) + 0.5
        y = rng.random(n + 5) + 0.5
        assert same(m, "sqrt_sum", x) == "ok"
        assert same(m, "ratio_sum", x, y[:n]) == "ok"
        assert same(m, "logs", x) == "ok"
        assert same(m, "last_and_count", x, 2.0) == "ok"
        assert same(m, "to_int", x * 100) == "ok"
        if n:
            assert same(m, "gathered", x, rng.integers(-n, n, size=2 * n)) == "ok"
            assert same(m, "shifted", x, y) == "ok"


@pytest.mark.parametrize("n", [1, 9, 1000])
def test_failure_anywhere(m, n):
    # a failing element at the start, the middle, the end: the error of the
    # first failing iteration, as CPython raises it
    rng = np.random.default_rng(72)
    for at in sorted({0, n // 2, n - 1}):
        x = rng.random(n) + 0.5
        y = rng.random(n) + 0.5
        x[at] = -1.0
        assert same(m, "sqrt_sum", x) == "err"          # math domain error
        assert same(m, "logs", x) == "err"
        y[at] = 0.0
        assert same(m, "ratio_sum", rng.random(n), y) == "err"  # float division by zero
        x[at] = 5.0
        assert same(m, "last_and_count", x, 2.0) == "err"       # the explicit raise
        z = rng.random(n)
        z[at] = np.nan
        assert same(m, "to_int", z) == "err"             # cannot convert float NaN
        idx = rng.integers(0, n, size=n)
        idx[at] = n                                      # index out of bounds
        assert same(m, "gathered", rng.random(n), idx) == "err"


def test_bounds_of_shifted_index(m):
    rng = np.random.default_rng(73)
    x = rng.random(10)
    # y[i + 3] out of bounds from some iteration on, or never
    for ylen in [0, 3, 4, 12, 13, 20]:
        same(m, "shifted", x, rng.random(ylen))


def test_values_that_only_look_like_failures(m):
    # NaN arguments give NaN without an error, and -2**63 converts: the
    # fast run flags them, the checked run gives CPython's answer.
    x = np.array([4.0, np.nan, 9.0])
    assert math.isnan(m.k.sqrt_sum(x))
    assert same(m, "to_int", np.array([1.5, -2.0**63])) == "ok"
    assert same(m, "logs", np.array([1.0, np.inf])) == "ok"


def test_review_cases(m):
    a = np.array([3, 4, 6, 9])
    assert same(m, "divisible", a, 3) == "ok"
    assert same(m, "divisible", a, 0) == "err"          # ZeroDivisionError, not a trap
    x = np.arange(10.0)
    assert same(m, "via_int", x, np.array([1.5, 2.0, 9.9])) == "ok"
    assert same(m, "via_int", x, np.array([1.0, np.nan])) == "err"
    # (Kiln's int is int64, a documented deviation: int(1e300) overflows
    # where CPython makes a big int that NumPy then refuses as an index.)
    with pytest.raises(OverflowError):
        m.k.via_int(x, np.array([1.0, 1e300]))
    assert same(m, "via_int", x, np.array([1.0, 12.0])) == "err"
    assert same(m, "big_abs", np.array([1, -7, 3])) == "ok"
    with pytest.raises(OverflowError):  # abs(-2**63) does not fit Kiln's int64
        m.k.big_abs(np.array([1, -2**63, 3]))
    assert same(m, "long_loop", np.array([0.0]), 10**12) == "err"
    assert same(m, "up_to", x, 5) == "ok"
    assert same(m, "up_to", x, 2**63 - 1) == "err"     # IndexError at i = 8


def test_column_walks_in_any_layout(m):
    rng = np.random.default_rng(74)
    for n in [0, 1, 5, 1000]:
        base = rng.random((n, 3))
        for pos in [base, np.asfortranarray(base), base[::-1], rng.random((2 * n, 5))[::2, 1:4],
                    np.broadcast_to(base[:1], (n, 3))]:
            assert same(m, "column_walk", pos, 0.5) == "ok"
    for layout in [np.ascontiguousarray, np.asfortranarray]:
        bad = layout(rng.random((9, 3)))
        bad[4, 2] = 0.5                                   # float division by zero at j = 4
        assert same(m, "column_walk", bad, 0.5) == "err"
