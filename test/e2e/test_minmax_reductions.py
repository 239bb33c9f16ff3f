"""Float min/max reductions (frontend floatMinMax): vectorised with a NaN
flag kept apart, and a second pass for the sign of a zero result.

What they must give, for every arrangement of values:
  * NaN when any element is NaN (NumPy's np.max/np.min propagate it);
  * otherwise the greatest (least) value, and when that value is a zero,
    the sign of the *last* element equal to it, which is what NumPy's
    ordered loop gives (`np.max([0.0, -0.0])` is -0.0). NumPy's SIMD loops
    pick differently in rare arrangements, so the sign is checked against
    the ordered rule, and the value against NumPy.
"""
import numpy as np
import pytest

SRC = '''
import numpy as np
from kiln.types import float32, float64


def mx(a: float64[:]):
    return np.max(a)


def mn(a: float64[:]):
    return a.min()


def mx32(a: float32[:]):
    return np.max(a)


def mn32(a: float32[:]):
    return np.amin(a)


def mx_rows(a: float64[:, :]):
    return np.max(a, axis=1)


def mn_cols(a: float64[:, :]):
    return np.min(a, axis=0)


def mx_expr(a: float64[:], b: float64[:]):
    # An element expression: both passes compute it.
    return np.max(a * b - 1.0)


def row_loop(a: float64[:, :]):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = np.max(a[i]) - np.min(a[i])
    return out
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC, "minmax_red", options=("-O2",))


def ordered(a, is_max):
    """NumPy's ordered loop: NaN wins; a later equal element replaces."""
    acc = -np.inf if is_max else np.inf
    for v in a:
        if v != v:
            return np.nan
        if (v >= acc) if is_max else (v <= acc):
            acc = v
    return acc


def same(got, want):
    if np.isnan(want):
        return np.isnan(got)
    return got == want and np.signbit(got) == np.signbit(want)


POOL = np.array([-0.0, 0.0, -0.0, 0.0, -1.0, 1.0, np.inf, -np.inf, 2.5, -7.0])


def arrays(rng, count=600):
    for t in range(count):
        n = int(rng.integers(1, 90))
        a = rng.choice(POOL, n)
        if t % 3 == 0:
            a = -np.abs(a)  # the maximum is a zero
        elif t % 3 == 1:
            a = np.abs(a)  # the minimum is a zero
        if t % 7 == 0:
            a[rng.integers(0, n)] = np.nan
        yield a


def test_values_and_zero_signs(m):
    rng = np.random.default_rng(41)
    for a in arrays(rng):
        for fn, is_max in [("mx", True), ("mn", False)]:
            got = getattr(m.k, fn)(a)
            assert same(got, ordered(a, is_max)), (fn, a, got)
            want_np = np.max(a) if is_max else np.min(a)
            assert got == want_np or (np.isnan(got) and np.isnan(want_np)), (fn, a)
        a32 = a.astype(np.float32)
        for fn, is_max in [("mx32", True), ("mn32", False)]:
            got = getattr(m.k, fn)(a32)
            assert isinstance(got, np.float32)
            assert same(got, np.float32(ordered(a32, is_max))), (fn, a32, got)


def test_long_arrays_and_strides(m):
    # Long enough for the vector loop, with the special element anywhere.
    rng = np.random.default_rng(42)
    for n in [1, 7, 8, 9, 31, 64, 1000, 4099]:
        base = rng.standard_normal(2 * n)
        for view in [base[:n], base[::2], base[::-1][:n]]:
            a = view.copy() if view.base is None else view
            assert same(m.k.mx(a), ordered(a, True))
            assert same(m.k.mn(a), ordered(a, False))
            for pos in {0, n // 2, n - 1}:
                b = a.copy()
                b[pos] = np.nan
                assert np.isnan(m.k.mx(b)) and np.isnan(m.k.mn(b))
                c = -np.abs(a)
                c[pos] = 0.0
                assert same(m.k.mx(c), ordered(c, True)), (n, pos)
                c[pos] = -0.0
                c[-1] = -0.0 if pos != n - 1 else c[-1]
                assert same(m.k.mx(c), ordered(c, True)), (n, pos)
    # Many zeros of both signs, long enough that the vector loop and its
    # lanes decide: only the second pass gives the ordered sign.
    for t in range(300):
        n = int(rng.integers(33, 700))
        z = rng.choice(np.array([-0.0, 0.0, -1.0, -np.inf]), n)
        assert same(m.k.mx(z), ordered(z, True)), z
        assert same(m.k.mn(-z), ordered(-z, False)), -z
    inf = np.full(50, -np.inf)
    assert m.k.mx(inf) == -np.inf and m.k.mn(inf) == -np.inf


def test_axis_and_expressions(m):
    rng = np.random.default_rng(43)
    for shape in [(1, 1), (3, 5), (17, 33), (40, 2)]:
        a = rng.choice(POOL, shape)
        if rng.random() < 0.5:
            a = -np.abs(a)
        a[rng.integers(0, shape[0]), rng.integers(0, shape[1])] = np.nan
        for arr in [a, np.asfortranarray(a), a.T.copy().T]:
            got = m.k.mx_rows(arr)
            want = [ordered(r, True) for r in arr]
            assert all(same(g, w) for g, w in zip(got, want)), arr
            got = m.k.mn_cols(arr)
            want = [ordered(c, False) for c in arr.T]
            assert all(same(g, w) for g, w in zip(got, want)), arr
            np.testing.assert_array_equal(m.k.row_loop(arr), m.py.row_loop(arr))
    x = rng.standard_normal(333)
    y = rng.standard_normal(333)
    assert same(m.k.mx_expr(x, y), ordered(x * y - 1.0, True))
    one = np.ones(10)
    assert same(m.k.mx_expr(one, one), 0.0)  # every element is +0.0
    assert same(m.k.mx_expr(-one, -one), 0.0)


def test_empty_raises(m):
    for fn in ["mx", "mn"]:
        with pytest.raises(ValueError, match="zero-size array to reduction operation"):
            getattr(m.k, fn)(np.zeros(0))
