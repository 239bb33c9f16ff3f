"""Reductions along an axis other than the last (`x.sum(axis=0)`): when the
operand's last axis is its contiguous one, Kiln accumulates whole rows in
memory order into the result, as NumPy does, instead of walking columns
(frontend/LowerArrayExpr.cpp, accumulateRows); when the reduced axis is the
contiguous one (`x.T.sum(axis=0)`) it reduces one result element at a time.
Either way the values are NumPy's: bit for bit for sums of C-order rows
when the loop is short enough to run on one thread (the same order of
additions), to rounding when its chunks run in parallel, and NaN and
signed zeros as NumPy for min/max."""
import math

import numpy as np
import pytest

SRC = '''
import numpy as np
from kiln.types import bool_, float64, int32, int64

def col_sum(x: float64[:, :]):
    return x.sum(axis=0)

def col_prod(x: float64[:, :]):
    return np.prod(x, axis=0)

def col_min(x: float64[:, :]):
    return x.min(axis=0)

def col_max(x: float64[:, :]):
    return np.max(x, axis=0)

def col_mean(x: float64[:, :]):
    return x.mean(axis=0)

def col_mean_keep(x: float64[:, :]):
    return x.mean(axis=0, keepdims=True)

def centred(x: float64[:, :]):
    return x - x.mean(axis=0)

def weighted(x: float64[:, :], w: float64[:]):
    return (x * w[:, None]).sum(axis=0)

def col_absmax(x: float64[:, :]):
    return np.abs(x).max(axis=0)

def mid_sum(x: float64[:, :, :]):
    return x.sum(axis=1)

def lead_sum3(x: float64[:, :, :]):
    return x.sum(axis=0)

def int_sums(a: int64[:, :], b: int32[:, :]):
    return a.sum(axis=0), b.sum(axis=0), a.max(axis=0), b.min(axis=0)

def flags(m: bool_[:, :]):
    return m.any(axis=0), m.all(axis=0)

def x_t_sum(x: float64[:, :]):
    return x.T.sum(axis=0)

def moments(x: float64[:, :]):
    return x.var(axis=0), x.std(axis=0), np.var(x, axis=0, ddof=1), x.std(axis=0, keepdims=True)

def standardize(x: float64[:, :]):
    return (x - x.mean(axis=0)) / x.std(axis=0)

def int_var(a: int64[:, :]):
    return a.var(axis=0)
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SRC, "lead_axis", options=("-O2",))


def layouts(a):
    yield a
    yield np.asfortranarray(a)
    yield a[::2, ::3]
    yield a[::-1]
    yield a.T.copy().T


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
    np.testing.assert_array_equal(got, want)
    # signed zeros too
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


SHAPES = [(4000, 50), (1, 7), (7, 1), (33, 33), (5, 0), (2, 300)]


def test_sums_match_numpy(mod):
    rng = np.random.default_rng(21)
    for shape in SHAPES:
        a = rng.standard_normal(shape)
        for v in layouts(a):
            got = mod.k.col_sum(v)
            if (v.flags.c_contiguous or v.shape[1] <= 1) and v.size < 2**15:
                # One thread, rows in order: NumPy's own order of additions.
                # (With more work the rows are cut into chunks that run in
                # parallel: the same bits for every thread count, not NumPy's.)
                same(got, v.sum(axis=0))
            else:
                np.testing.assert_allclose(got, v.sum(axis=0), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(mod.k.col_mean(v), v.mean(axis=0), rtol=1e-12, atol=1e-12)
            assert mod.k.col_mean_keep(v).shape == (1, v.shape[1])
            np.testing.assert_allclose(mod.k.centred(v), v - v.mean(axis=0), rtol=1e-12,
                                       atol=1e-12)
            w = rng.standard_normal(v.shape[0])
            np.testing.assert_allclose(mod.k.weighted(v, w), (v * w[:, None]).sum(axis=0),
                                       rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(mod.k.x_t_sum(v), v.T.sum(axis=0), rtol=1e-12,
                                       atol=1e-12)
            p = 1 + v * 1e-3
            np.testing.assert_allclose(mod.k.col_prod(p), np.prod(p, axis=0), rtol=1e-13)


def test_empty_reduced_axis(mod):
    z = np.zeros((0, 4))
    same(mod.k.col_sum(z), z.sum(axis=0))
    same(mod.k.col_prod(z), np.prod(z, axis=0))
    with pytest.raises(ValueError, match="zero-size array"):
        mod.k.col_max(z)
    with np.errstate(invalid="ignore"):
        want = z.mean(axis=0)
    got = mod.k.col_mean(z)
    assert got.shape == want.shape and np.isnan(got).all()


def test_min_max_nan_and_zeros(mod):
    rng = np.random.default_rng(22)
    a = rng.standard_normal((500, 40))
    a[[0, 250, 499], [3, 17, 39]] = np.nan
    a[:, 5] = 0.0
    a[100, 5] = -0.0
    a[:, 6] = -0.0
    a[7, 6] = 0.0
    for v in layouts(a):
        same(mod.k.col_min(v), v.min(axis=0))
        same(mod.k.col_max(v), np.max(v, axis=0))
        same(mod.k.col_absmax(v), np.abs(v).max(axis=0))
    inf = np.full((3, 4), np.inf)
    same(mod.k.col_min(inf), inf.min(axis=0))
    same(mod.k.col_max(-inf), (-inf).max(axis=0))


def test_three_d(mod):
    rng = np.random.default_rng(23)
    x = rng.standard_normal((6, 7, 8))
    for v in (x, x.transpose(2, 0, 1).copy(), x[:, ::-1, ::2], np.asfortranarray(x)):
        np.testing.assert_allclose(mod.k.mid_sum(v), v.sum(axis=1), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(mod.k.lead_sum3(v), v.sum(axis=0), rtol=1e-13, atol=1e-13)
    same(mod.k.mid_sum(x), x.sum(axis=1))  # (small: one thread, NumPy's order)
    same(mod.k.lead_sum3(x), x.sum(axis=0))


def test_ints_and_bools(mod):
    rng = np.random.default_rng(24)
    a = rng.integers(-2**62, 2**62, (300, 20))
    b = rng.integers(-2**31, 2**31 - 1, (300, 20)).astype(np.int32)
    with np.errstate(over="ignore"):
        want = (a.sum(axis=0), b.sum(axis=0), a.max(axis=0), b.min(axis=0))
    for g, w in zip(mod.k.int_sums(a, b), want):
        same(g, w)
    m = rng.random((50, 30)) < 0.05
    m[:, 0] = True
    m[:, 1] = False
    for v in (m, m[::-1, ::2], np.asfortranarray(m)):
        got = mod.k.flags(v)
        same(got[0], v.any(axis=0))
        same(got[1], v.all(axis=0))


def test_var_std(mod):
    rng = np.random.default_rng(25)
    for shape in [(4000, 50), (2, 3), (1, 5), (300, 1)]:
        a = rng.standard_normal(shape) * 3 + 7
        for v in layouts(a):
            got = mod.k.moments(v)
            with np.errstate(divide="ignore", invalid="ignore"):
                want = (v.var(axis=0), v.std(axis=0), np.var(v, axis=0, ddof=1),
                        v.std(axis=0, keepdims=True))
            for g, w in zip(got, want):
                assert g.shape == w.shape
                np.testing.assert_allclose(g, w, rtol=1e-11, atol=1e-12)
            if v.shape[0] > 1:
                np.testing.assert_allclose(mod.k.standardize(v),
                                           (v - v.mean(axis=0)) / v.std(axis=0), rtol=1e-10,
                                           atol=1e-12)
    b = rng.integers(-1000, 1000, (500, 7))
    np.testing.assert_allclose(mod.k.int_var(b), b.var(axis=0), rtol=1e-12)
    nan = rng.standard_normal((20, 4))
    nan[3, 1] = np.nan
    got = mod.k.moments(nan)[0]
    assert np.isnan(got[1]) and not np.isnan(got[[0, 2, 3]]).any()


def test_ddof_at_least_the_count(compile_module):
    """NumPy divides by max(n - ddof, 0): inf, or NaN for 0 / 0."""
    src = '''
import numpy as np
from kiln.types import float64

def var0(x: float64[:, :]):
    return x.var(axis=0, ddof=3), x.std(axis=0, ddof=3)

def var_all(x: float64[:]):
    return np.var(x, ddof=2), np.std(x, ddof=2)
'''
    m = compile_module(src, "ddof_big", options=("-O2",))
    with np.errstate(all="ignore"):
        for x in (np.array([[1.0, 2.0], [3.0, 5.0]]), np.zeros((0, 2)), np.ones((3, 2))):
            for g, w in zip(m.k.var0(x), m.py.var0(x)):
                np.testing.assert_array_equal(g, w)
        for x in (np.array([1.0]), np.array([7.0, 8.0]), np.zeros(0)):
            np.testing.assert_array_equal(m.k.var_all(x), m.py.var_all(x))
