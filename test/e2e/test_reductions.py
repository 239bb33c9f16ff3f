"""Float sums in loops (passes/Reductions.cpp): by default they may be
reassociated and vectorised, so they agree with Python's left-to-right sum
to rounding, not bit for bit; `--strict-fp` gives Python's sum exactly.
NaN and infinities propagate in both modes."""
import math

import numpy as np
import pytest

SRC = '''
from kiln.types import float64

def total(a: float64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s

def dot(a: float64[:], b: float64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s

def drain(a: float64[:], start: float) -> float:
    s = start
    for i in range(a.shape[0]):
        s -= a[i]
    return s
'''


@pytest.fixture(scope="module")
def fast(compile_module):
    return compile_module(SRC, "red_fast", options=("-O2",))


@pytest.fixture(scope="module")
def strict(compile_module):
    return compile_module(SRC, "red_strict", options=("-O2", "--strict-fp"))


def inputs():
    rng = np.random.default_rng(5)
    yield rng.random(1000)
    yield rng.normal(size=100_003) * 1e6
    yield rng.random(7)
    yield np.zeros(0)
    yield rng.random(4096)[::3]  # strided


def test_strict_is_python_exactly(strict):
    for a in inputs():
        assert strict.k.total(a) == strict.py.total(a)
        assert strict.k.dot(a, a) == strict.py.dot(a, a)
        assert strict.k.drain(a, 1.5) == strict.py.drain(a, 1.5)


def test_fast_agrees_to_rounding(fast):
    for a in inputs():
        for got, want, scale in [(fast.k.total(a), fast.py.total(a), np.abs(a).sum()),
                                 (fast.k.dot(a, a), fast.py.dot(a, a), (a * a).sum()),
                                 (fast.k.drain(a, 1.5), fast.py.drain(a, 1.5),
                                  np.abs(a).sum() + 1.5)]:
            assert type(got) is float
            assert abs(got - want) <= 1e-12 * max(scale, 1.0) + 1e-300, (got, want)


def test_special_values_propagate(fast):
    for k in (fast.k, ):
        a = np.arange(100.0)
        a[37] = math.nan
        assert math.isnan(k.total(a))
        a[37] = math.inf
        assert k.total(a) == math.inf
        a[38] = -math.inf
        assert math.isnan(k.total(a))
    # An empty sum keeps the start value, sign of zero included.
    assert math.copysign(1.0, fast.k.drain(np.zeros(0), -0.0)) == -1.0
