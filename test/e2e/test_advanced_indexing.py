"""NumPy's advanced indexing with several index arrays, index arrays mixed
with slices and integers, for reading, assignment and augmented assignment,
and assignment through a mask of the leading axes: results, argument arrays
afterwards and errors compared with NumPy running the same source."""
import numpy as np
import pytest

from arraydiff import check

SOURCE = '''
import numpy as np
from kiln.types import float64, int64, int32, uint8, bool_


def read2(a: float64[:, :], i: int64[:], j: int64[:]):
    return a[i, j], a[i[:, None], j], a[i, 0], a[-1, j], a[:, j], a[i, :]


def read3(c: float64[:, :, :], i: int32[:], j: int64[:, :]):
    # adjacent (in place) and not (first), integers counting as advanced
    return c[i, :, i], c[:, j, i], c[-1, i, :], c[i, -1, :], c[i, :, -1], c[1:, i, ::-1]


def write2(a: float64[:, :], i: int64[:], j: int64[:], v: float64[:]):
    b = a.copy()
    b[i, j] = v
    c = a.copy()
    c[i, j] = 2.5
    d = a.copy()
    d[i, j] += 1.0          # a repeated (i, j) is written once, as NumPy
    e = a.copy()
    e[:, j] = -1.0
    f = a.copy()
    f[:, j] *= 3.0
    g = a.copy()
    g[i[:, None], j] = v    # v broadcast along the rows
    return b, c, d, e, f, g


def write_cols(a: float64[:, :], j: uint8[:], m: float64[:, :]):
    b = a.copy()
    b[:, j] = m
    b[1:, j] -= m[1:]
    return b


def write3(c: float64[:, :, :], i: int64[:], k: int64[:], v: float64[:, :]):
    d = c.copy()
    d[i, :, k] = v
    d[-1, :, k] = 0.5
    return d


def overlap(a: float64[:, :], j: int64[:]):
    # the value is a view of the target: read whole before anything is written
    a[:, j] = a[:, ::-1][:, :j.shape[0]]
    return a


def rows_by_mask(x: float64[:, :], y: float64[:], v: float64[:]):
    a = x.copy()
    a[y > 0.5] = 0.0
    b = x.copy()
    b[y > 0.5] = v          # one row, broadcast to every selected row
    c = x.copy()
    c[y > 0.5] += 1.0
    d = x.copy()
    d[y < 0.2] = x[y < 0.2] * 2.0
    return a, b, c, d


def planes_by_mask(c: float64[:, :, :], m: bool_[:, :], v: float64[:]):
    d = c.copy()
    d[m] = v
    d[~m] -= 1.0
    return d


def mask_value_column(x: float64[:, :], y: float64[:]):
    a = x.copy()
    n = int(np.sum(y > 0.5))
    a[y > 0.5] = np.arange(n).reshape((n, 1)) * 1.0
    return a


def in_place_argument(a: float64[:, :], i: int64[:], j: int64[:]):
    a[i, j] = 0.0
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "advidx", options=("-O2",))


@pytest.mark.parametrize("seed", range(6))
def test_several_index_arrays(mod, seed):
    rng = np.random.default_rng(100 + seed)
    n, m = [(1, 1), (3, 4), (5, 2), (6, 7), (2, 9), (8, 8)][seed]
    a = rng.random((n, m))
    k = int(rng.integers(1, 2 * n * m + 1))
    i = rng.integers(-n, n, size=k)
    j = rng.integers(-m, m, size=k)  # repeats and negatives
    assert check(mod, "read2", a, i, j) == "ok"
    assert check(mod, "read2", np.asfortranarray(a), i[::-1], j) == "ok"
    assert check(mod, "write2", a, i, j, rng.random(k)) == "ok"
    assert check(mod, "write2", a[:, ::-1], i, j, rng.random(1)) == "ok"
    check(mod, "in_place_argument", a, i, j)
    cube = rng.random((n, m, 3))
    lim = min(n, m, 3)
    i3 = rng.integers(-lim, lim, size=k).astype(np.int32)
    j3 = rng.integers(0, m, size=(2, k))
    assert check(mod, "read3", cube, i3, j3) == "ok"
    w = rng.random((k, m))
    kk = rng.integers(0, 3, size=k)
    assert check(mod, "write3", cube, i, kk, w) == "ok"
    assert check(mod, "write_cols", a, (j % m).astype(np.uint8), rng.random((n, k))) == "ok"
    assert check(mod, "overlap", a, rng.integers(0, m, size=min(k, m))) == "ok"


def test_errors(mod):
    a = np.arange(12.0).reshape(3, 4)
    # index arrays that do not broadcast together
    assert check(mod, "read2", a, np.array([0, 1]), np.array([0, 1, 2])) == "err"
    # out of bounds on the second axis, named as NumPy names it
    assert check(mod, "read2", a, np.array([0, 1]), np.array([0, 4])) == "err"
    assert check(mod, "write2", a, np.array([0, -4]), np.array([0, 1]), np.ones(2)) == "err"
    # a value that does not fit the indexing result
    assert check(mod, "write2", a, np.array([0, 1]), np.array([0, 1]), np.ones(3)) == "err"
    assert check(mod, "write_cols", a, np.array([0, 1], np.uint8), np.ones((3, 3))) == "err"
    assert check(mod, "write3", np.ones((2, 3, 4)), np.array([0, 1]), np.array([0, 1]),
                 np.ones((3, 3))) == "err"
    # nothing is written when an index is bad
    assert check(mod, "in_place_argument", a, np.array([0, 1, 2]), np.array([0, 1, 9])) == "err"


@pytest.mark.parametrize("seed", range(4))
def test_masks_of_leading_axes(mod, seed):
    rng = np.random.default_rng(200 + seed)
    n, m = [(1, 3), (4, 5), (7, 1), (10, 6)][seed]
    x = rng.random((n, m))
    y = rng.random(n)
    assert check(mod, "rows_by_mask", x, y, rng.random(m)) == "ok"
    assert check(mod, "rows_by_mask", x, y, rng.random(1)) == "ok"
    assert check(mod, "mask_value_column", x, y) == "ok"
    c = rng.random((n, m, 3))
    mask = rng.random((n, m)) > 0.5
    assert check(mod, "planes_by_mask", c, mask, rng.random(3)) == "ok"
    assert check(mod, "planes_by_mask", c, mask, rng.random(1)) == "ok"


def test_mask_errors(mod):
    x = np.ones((4, 3))
    y = np.array([1.0, 0.0, 1.0, 0.0])
    # a row of the wrong length: NumPy's "shape mismatch: value array of
    # shape (2,) could not be broadcast to indexing result of shape (2,3)"
    assert check(mod, "rows_by_mask", x, y, np.ones(2)) == "err"
    # a mask of the wrong length
    assert check(mod, "planes_by_mask", np.ones((2, 3, 4)), np.ones((3, 3), bool),
                 np.ones(4)) == "err"
