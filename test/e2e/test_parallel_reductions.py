"""Reductions run in parallel (passes/Parallelize.cpp, codegen/LowerParallel.cpp):
a loop that only accumulates (np.sum, mean/var/std, prod, min/max,
any/all, NumPy int sums, a hand-written `s += a[i] * b[i]`) is cut into
chunks fixed by its length, each reduced from the identity, the partials
combined in chunk order. These tests give NumPy's (or CPython's) values
on lengths around the parallel threshold (2**15 elements), strided,
transposed and 2-D inputs, NaN in every chunk position, infinities,
signed zeros and empty inputs; test_thread_determinism.py checks that the
bits do not depend on the thread count."""
import math

import numpy as np
import pytest

SRC = '''
import numpy as np
from kiln.types import float64, int32, int64

def total(x: float64[:]) -> float:
    return np.sum(x)

def total2(a: float64[:, :]) -> float:
    return a.sum()

def moments(a: float64[:, :]):
    return a.mean(), a.var(), a.std(), np.var(a, ddof=1)

def product(x: float64[:]) -> float:
    return np.prod(x)

def extremes(x: float64[:]):
    return np.min(x), np.max(x)

def extremes2(a: float64[:, :]):
    return a.min(), a.max()

def logic(x: float64[:]):
    return np.any(x > 0.999), np.all(x < 0.999), np.any(np.isnan(x))

def isum(a: int64[:]) -> int:
    return np.sum(a)

def isum32(a: int32[:]) -> int:
    return a.sum()

def normalize(x: float64[:]):
    return x / np.sum(x)

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

def xt_r(X: float64[:, :], r: float64[:]):
    return X.T @ r

def col_sums(X: float64[:, :]):
    return X.sum(axis=0)

def int_col_sums(X: int64[:, :]):
    return X.sum(axis=0)

def by_hand(X: float64[:, :], r: float64[:]):
    out = np.zeros(X.shape[1])
    for i in range(X.shape[0]):
        for j in range(out.shape[0]):
            out[j] += X[i, j] * r[i]
    return out

def by_hand_sub(X: float64[:, :]):
    b = np.zeros(X.shape[1])
    for i in range(X.shape[0]):
        for j in range(b.shape[0]):
            b[j] = b[j] - X[i, j]
    return b

def ratio_nest(a: float64[:, :], d: int64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += float(a[i, j]) / float(d[j])
    return s

def underflow_then_overflow(e: float64[:]) -> float:
    p = 1.0
    for i in range(e.shape[0]):
        p *= e[i]
    return p

def rows_then_sum(a: float64[:, :]) -> float:
    t = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            t += a[i, j] * a[i, j]
    return t
'''

LENGTHS = [0, 1, 255, 32767, 32768, 32769, 100_003, 1_000_000]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SRC, "par_red", options=("-O2",))


def close(k, p, scale):
    """Within rounding of a reordered sum of terms of total size `scale`."""
    if isinstance(p, float) and math.isnan(p):
        return math.isnan(k)
    return abs(k - p) <= 1e-13 * max(scale, 1.0) * 8


def vectors():
    rng = np.random.default_rng(11)
    for n in LENGTHS:
        yield rng.standard_normal(n)
        yield rng.random(n) + 0.5
    big = rng.standard_normal(300_000)
    yield big[::3]  # strided
    yield big[::-2]  # reversed


def test_sums_and_dots(mod):
    k, py = mod.k, mod.py
    for x in vectors():
        scale = float(np.sum(np.abs(x)))
        assert close(k.total(x), float(np.sum(x)), scale), len(x)
        y = x[::-1].copy()
        assert close(k.dot(x, y), py.dot(x, y), float(np.sum(np.abs(x * y))))
        assert close(k.drain(x, 1.5), py.drain(x, 1.5), scale + 1.5)
        if len(x) and np.sum(x) != 0:
            got, want = k.normalize(x), x / np.sum(x)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_two_d_and_moments(mod):
    rng = np.random.default_rng(12)
    for shape in [(0, 5), (1, 1), (3, 100_000), (1000, 33), (40_000, 1), (257, 129)]:
        a = rng.standard_normal(shape) * 3 + 1
        for v in (a, a.T, a[::2, ::-1]):
            scale = float(np.sum(np.abs(v)))
            assert close(mod.k.total2(v), float(v.sum()), scale)
            assert close(mod.k.rows_then_sum(v), mod.py.rows_then_sum(v), float(np.sum(v * v)))
            if v.size == 0:
                continue
            got = mod.k.moments(v)
            want = (v.mean(), v.var(), v.std(), np.var(v, ddof=1) if v.size > 1 else math.inf)
            for g, w in zip(got, want):
                if v.size == 1 and not math.isfinite(w):
                    continue
                assert math.isclose(g, w, rel_tol=1e-10, abs_tol=1e-12), (shape, got, want)


def test_products(mod):
    rng = np.random.default_rng(13)
    for n in LENGTHS:
        x = 1 + (rng.random(n) - 0.5) * 1e-4
        assert math.isclose(mod.k.product(x), float(np.prod(x)), rel_tol=1e-12)
    assert mod.k.product(np.array([0.0] * 50_000 + [-1.0])) == 0.0
    assert math.isnan(mod.k.product(np.r_[np.ones(70_000), np.nan, np.ones(70_000)]))


def test_array_accumulators(mod):
    """Loops that add into elements of a new array (X.T @ r, a sum along
    axis 0 row by row) give each chunk a private copy; the copies are added
    in chunk order. Fewer chunks when the result is large, none (one
    thread) when one copy alone is over the limit."""
    rng = np.random.default_rng(17)
    for shape in [(200_000, 32), (5, 100_000), (1500, 1500), (70_000, 1), (0, 3),
                  (2, 2**21 + 3)]:
        X = rng.standard_normal(shape)
        r = rng.standard_normal(shape[0])
        np.testing.assert_allclose(mod.k.xt_r(X, r), X.T @ r, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(mod.k.col_sums(X), X.sum(axis=0), rtol=1e-10, atol=1e-10)
    big = rng.integers(-2**62, 2**62, (50_000, 7))
    with np.errstate(over="ignore"):
        assert (mod.k.int_col_sums(big) == big.sum(axis=0)).all()  # wraps, in any order


def test_hand_written_accumulations(mod):
    """`out[j] += X[i, j] * r[i]` over a nest is a parallel reduction into
    an array; an error in the nest (r too short, a zero divisor) is the
    serial loop's first, as CPython raises it."""
    rng = np.random.default_rng(19)
    for shape in [(200_000, 16), (3000, 40), (9, 7), (0, 3)]:
        X = rng.standard_normal(shape)
        r = rng.standard_normal(shape[0])
        np.testing.assert_allclose(mod.k.by_hand(X, r), mod.py.by_hand(X, r), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(mod.k.by_hand_sub(X), mod.py.by_hand_sub(X), rtol=1e-9,
                                   atol=1e-9)
    X, r = rng.standard_normal((100_000, 8)), rng.standard_normal(60_000)
    with pytest.raises(IndexError) as k:
        mod.k.by_hand(X, r)
    with pytest.raises(IndexError) as p:
        mod.py.by_hand(X, r)
    assert str(k.value) == str(p.value)
    a = rng.standard_normal((50_000, 4))
    d = np.array([1, 2, 0, 3])
    with pytest.raises(ZeroDivisionError) as k:
        mod.k.ratio_nest(a, d)
    with pytest.raises(ZeroDivisionError) as p:
        mod.py.ratio_nest(a, d)
    assert str(k.value) == str(p.value)
    d[2] = 5
    assert math.isclose(mod.k.ratio_nest(a, d), mod.py.ratio_nest(a, d), rel_tol=1e-9, abs_tol=1e-9)


def test_float_products_keep_their_order(mod):
    """Chunked, this product would be 0 * inf = NaN (one chunk underflows,
    another overflows); in the loop's order it is 0.0, as NumPy's."""
    e = np.array([1e-300] * 20_000 + [1e300] * 20_000)
    assert mod.k.product(e) == np.prod(e) == 0.0
    assert mod.k.underflow_then_overflow(e) == mod.py.underflow_then_overflow(e) == 0.0


def test_raising_body_with_while_is_not_shared(tmp_path, kiln):
    """A reduction whose body may raise (a float -> int32 conversion of NaN)
    and has a `while` stays serial: shared, an iteration after the failing
    one would spin forever where CPython has already raised."""
    import subprocess
    import sys
    import textwrap
    from conftest import build_in
    src = textwrap.dedent('''
        import numpy as np
        from kiln.types import float64

        def spins(a: float64[:]) -> float:
            s = 0.0
            for i in range(a.shape[0]):
                k = np.int32(float(a[i]))
                x = 0.0
                while x != a[i]:
                    x += 1.0
                s += x + k
            return s
        ''')
    build_in(kiln, tmp_path, "spin_mod", src, keep_source=False)
    script = textwrap.dedent('''
        import numpy as np, spin_mod
        a = np.zeros(65536)
        a[:256] = 2e5
        a[256:127 * 256] = 1000.0
        a[127 * 256] = np.nan
        a[128 * 256] = 0.5
        try:
            spin_mod.spins(a)
        except ValueError as e:
            print(e)
        ''')
    import os
    env = dict(os.environ, KILN_NUM_THREADS="2", PYTHONPATH=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, env=env, cwd=tmp_path)
    assert out.stdout.strip() == "cannot convert float NaN to integer", out.stderr


def test_min_max_exact(mod):
    rng = np.random.default_rng(14)
    for n in LENGTHS[1:]:
        x = rng.standard_normal(n)
        assert mod.k.extremes(x) == (np.min(x), np.max(x))
        # NaN wins wherever it sits: first, last, inside a later chunk.
        for pos in {0, n - 1, n // 2, min(n - 1, 40_000)}:
            y = x.copy()
            y[pos] = np.nan
            got = mod.k.extremes(y)
            assert math.isnan(got[0]) and math.isnan(got[1]), (n, pos)
    a = rng.standard_normal((300, 400))
    assert mod.k.extremes2(a) == (a.min(), a.max())
    assert mod.k.extremes2(a.T[::3]) == (a.T[::3].min(), a.T[::3].max())
    # Signed zeros and infinities: NumPy's answers, sign included.
    z = np.zeros(70_000)
    z[[5, 40_000]] = -0.0
    for got, want in zip(mod.k.extremes(z), (np.min(z), np.max(z))):
        assert got == want and math.copysign(1, got) == math.copysign(1, want)
    inf = np.full(50_000, np.inf)
    assert mod.k.extremes(inf) == (np.inf, np.inf)
    assert mod.k.extremes(-inf) == (-np.inf, -np.inf)
    with pytest.raises(ValueError, match="zero-size array"):
        mod.k.extremes(np.zeros(0))


def test_any_all(mod):
    rng = np.random.default_rng(15)
    for n in LENGTHS:
        x = rng.random(n) * 0.9
        assert mod.k.logic(x) == (bool(np.any(x > 0.999)), bool(np.all(x < 0.999)),
                                  bool(np.any(np.isnan(x))))
        if n:
            for pos in {0, n - 1, n // 3}:
                y = x.copy()
                y[pos] = 1.0
                assert mod.k.logic(y) == (True, False, False)
                y[pos] = np.nan
                assert mod.k.logic(y) == (False, False, True)


def test_int_sums_wrap_as_numpy(mod):
    rng = np.random.default_rng(16)
    for n in LENGTHS:
        a = rng.integers(-2**62, 2**62, n, dtype=np.int64)
        with np.errstate(over="ignore"):
            assert mod.k.isum(a) == int(np.sum(a))
        b = rng.integers(-2**31, 2**31 - 1, n, dtype=np.int32)
        assert mod.k.isum32(b) == int(b.sum())
    big = np.full(100_000, 2**62, dtype=np.int64)
    assert mod.k.isum(big) == int(np.sum(big))  # wraps, as NumPy
