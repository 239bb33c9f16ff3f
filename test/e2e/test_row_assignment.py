"""`a[i] = expr` and `a[i, j] = expr` with fewer indices than axes: the value
is computed straight into the row (LowerArray.cpp, assignSubscript). Python's
order stays (the value first), NumPy's broadcasting and its overlap rule
hold: a value that reads the target's memory is read through a copy."""
import numpy as np
import pytest

SRC = '''
import numpy as np
from kiln.types import float64, int64


def rows(x: float64[:, :], s: float64[:]):
    out = np.zeros((x.shape[0], x.shape[1]))
    for i in range(x.shape[0]):
        out[i] = x[i] * s[i] + 1.0
    return out


def recurrence(a: float64[:, :]):
    # Row i reads row i - 1 of the target itself.
    for i in range(1, a.shape[0]):
        a[i] = a[i - 1] * 0.5 + a[i]
    return a


def reversed_rows(a: float64[:, :]):
    # The value is another row of the target, reversed: overlaps it only
    # when i is the middle row.
    n = a.shape[0]
    for i in range(n):
        a[i] = a[n - 1 - i][::-1] + 0.0
    return a


def broadcast_row(a: float64[:, :], v: float64[:]):
    # v broadcasts (length 1 or a's row length), or the shapes do not fit.
    for i in range(a.shape[0]):
        a[i] = v * 2.0
    return a


def plane(c: float64[:, :, :], m: float64[:, :]):
    c[1] = m + m.T
    c[0, 1] = m[0] - 1.0
    return c


def negative_index(a: float64[:, :], b: float64[:, :]):
    a[-1] = b[0] + b[1]
    return a


def int_rows(a: int64[:, :], x: float64[:, :]):
    for i in range(a.shape[0]):
        a[i] = x[i] * 3.0
    return a


def gathered_rows(m: float64[:, :], idx: int64[:]):
    # a small parallel loop nest inside the row loop runs inline; its
    # index errors must still raise
    out = np.zeros((m.shape[0], idx.shape[0]))
    for i in range(m.shape[0]):
        out[i] = m[i, idx] * 2.0
    return out


def scalar_into_row(a: float64[:, :], v: float):
    a[1] = v + 1.0
    return a
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC, "row_assign")


def run_both(m, name, *args):
    k_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    p_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got = getattr(m.k, name)(*k_args)
    want = getattr(m.py, name)(*p_args)
    np.testing.assert_array_equal(got, want)
    return got


def layouts(a):
    yield a
    yield np.asfortranarray(a)
    big = np.zeros((a.shape[0], 2 * a.shape[1]))
    big[:, ::2] = a
    yield big[:, ::2]
    yield a[::-1].copy()[::-1]


def test_rows_match_numpy(m):
    rng = np.random.default_rng(51)
    for shape in [(1, 1), (4, 7), (9, 3), (0, 4), (3, 0)]:
        x = rng.standard_normal(shape)
        for lx in layouts(x):
            run_both(m, "rows", lx, rng.standard_normal(shape[0]))
            run_both(m, "recurrence", lx)
            run_both(m, "reversed_rows", lx)
            if shape[0] > 0:
                run_both(m, "negative_index", lx, rng.standard_normal((2, shape[1])))
    for n in [1, 2, 5]:
        x = rng.standard_normal((n, 4))
        run_both(m, "int_rows", np.zeros((n, 4), dtype=np.int64), x * 100)
        run_both(m, "scalar_into_row", rng.standard_normal((3, n)), 2.5)


def test_broadcasting_and_errors(m):
    rng = np.random.default_rng(52)
    a = rng.standard_normal((3, 4))
    run_both(m, "broadcast_row", a, rng.standard_normal(4))
    run_both(m, "broadcast_row", a, rng.standard_normal(1))
    with pytest.raises(ValueError, match=r"could not broadcast input array from shape \(3,\) "
                                         r"into shape \(4,\)"):
        m.k.broadcast_row(a.copy(), np.ones(3))
    c = rng.standard_normal((2, 3, 3))
    run_both(m, "plane", c, rng.standard_normal((3, 3)))
    with pytest.raises(IndexError, match="index 1 is out of bounds for axis 0 with size 1"):
        m.k.plane(np.zeros((1, 3, 3)), np.ones((3, 3)))
    with pytest.raises(IndexError):
        m.k.negative_index(np.zeros((0, 2)), np.ones((2, 2)))


def test_overlapping_value_keeps_numpy_semantics(m):
    # A value computed from the very row it replaces, through a reversed
    # view: NumPy reads it whole before writing.
    a = np.arange(15, dtype=np.float64).reshape(5, 3)
    got = m.k.reversed_rows(a.copy())
    np.testing.assert_array_equal(got, m.py.reversed_rows(a.copy()))


def test_errors_inside_inline_loops(m):
    rng = np.random.default_rng(53)
    mm = rng.standard_normal((6, 5))
    run_both(m, "gathered_rows", mm, np.array([0, 4, -5, 2]))
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 1 with size 5"):
        m.k.gathered_rows(mm, np.array([0, 5]))
