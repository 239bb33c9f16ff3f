"""Counter arrays (passes/Counters.cpp): an int64 array filled with a small
constant and then only stepped by one (`h[k] += 1`) has no overflow checks;
its results are NumPy's. Arrays that may start large keep Kiln's check
(int64 elements are Python ints: overflow raises)."""
from pathlib import Path

import numpy as np
import pytest

# The benchmark's histogram kernel itself (its source, without the harness).
HISTOGRAM = (Path(__file__).resolve().parents[1] / "bench" / "kernels" / "histogram.py"
             ).read_text().split("# ---- harness")[0]

SRC = HISTOGRAM + '''
from kiln.types import int64


def up_and_down(idx: int64[:], n: int):
    c = np.ones((n, 2), dtype=np.int64)
    for i in range(idx.shape[0]):
        c[idx[i], 0] += 1
        c[idx[i], 1] -= 1
    return c


def from_big(start: int, n: int):
    h = np.full(n, start, dtype=np.int64)   # not a small constant: checked
    for i in range(n):
        h[i] += 1
    return h


def big_constant(n: int):
    h = np.full(n, 9223372036854775807, dtype=np.int64)
    h[0] += 1
    return h
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC, "counter_arrays", options=("-O2",))


def test_histogram_matches_numpy(m):
    rng = np.random.default_rng(61)
    for n in [0, 1, 100, 100_000]:
        x = rng.standard_normal(n) * 2
        x[::7] = 3.0  # the upper edge, clamped into the last bin
        for bins in [1, 7, 64]:
            got = m.k.histogram(x, bins, -3.0, 3.0)
            want = m.py.histogram(x, bins, -3.0, 3.0)
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, want)
            assert got.sum() == np.count_nonzero((x >= -3.0) & (x < 3.0))


def test_steps_both_ways(m):
    rng = np.random.default_rng(62)
    idx = rng.integers(-5, 5, size=1000)
    np.testing.assert_array_equal(m.k.up_and_down(idx, 5), m.py.up_and_down(idx, 5))
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        m.k.up_and_down(np.array([5]), 5)


def test_arrays_that_may_start_large_stay_checked(m):
    np.testing.assert_array_equal(m.k.from_big(10, 3), [11, 11, 11])
    with pytest.raises(OverflowError):
        m.k.from_big(2**63 - 1, 3)
    with pytest.raises(OverflowError):
        m.k.big_constant(2)
