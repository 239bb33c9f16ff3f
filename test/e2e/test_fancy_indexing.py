"""Boolean masks and integer-array indices, for reading and for assignment
(plain and augmented), against NumPy: masks of all axes or of the leading
ones, indices of any integer type, repeated and negative indices, and the
errors NumPy raises (raised before anything is written)."""
import numpy as np
import pytest

from arraydiff import check

SOURCE = '''
import numpy as np
from kiln.types import float64, int64, int32, uint8, bool_


def scatter(a: float64[:], idx: int64[:], v: float64[:]):
    b = a.copy()
    b[idx] = v
    c = a.copy()
    c[idx] = 7.5
    d = a.copy()
    d[idx] += 1.0
    e = a.copy()
    e[a > 0.5] *= 2.0
    f = a.copy()
    f[idx] = v[0]
    return b, c, d, e, f


def rows(m: float64[:, :], sel: float64[:], idx: int32[:]):
    r = m[sel > 0.5]
    m2 = m.copy()
    m2[idx] = -1.0
    m3 = m.copy()
    m3[idx] += m[0]
    return r, m[idx], m2, m3, m[sel > 2.0]


def small_ints(x: float64[:], idx: uint8[:], mask: bool_[:, :], cube: int64[:, :, :]):
    return x[idx], cube[mask], cube[idx % 2]


def in_place_argument(a: float64[:], idx: int64[:]):
    a[idx] = 0.0
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "fancy", options=("-O2",))


@pytest.mark.parametrize("seed", range(4))
def test_scatter_and_gather(mod, seed):
    rng = np.random.default_rng(seed)
    n = [1, 5, 10, 40][seed]
    a = rng.random(n)
    idx = rng.integers(-n, n, size=rng.integers(1, 2 * n + 1))  # repeats and negatives
    v = rng.random(len(idx))
    check(mod, "scatter", a, idx, v)
    check(mod, "scatter", a, idx, v[:1])  # one value for all


@pytest.mark.parametrize("bad", [[0, 10], [-11], [3, 2, 99]])
def test_out_of_bounds_raises_before_writing(mod, bad):
    a = np.arange(10.0)
    check(mod, "scatter", a, np.array(bad), np.zeros(len(bad)))
    check(mod, "in_place_argument", a, np.array(bad))


def test_value_shape_mismatch(mod):
    check(mod, "scatter", np.arange(10.0), np.array([1, 2, 3]), np.zeros(2))


@pytest.mark.parametrize("seed", range(3))
def test_rows_by_mask_and_indices(mod, seed):
    rng = np.random.default_rng(seed + 10)
    m = rng.random((6, 3))
    check(mod, "rows", m, rng.random(6), rng.integers(-6, 6, size=4).astype(np.int32))
    check(mod, "rows", m, rng.random(5), np.zeros(1, np.int32))  # mask of the wrong length


def test_small_integer_indices_and_leading_masks(mod):
    rng = np.random.default_rng(4)
    cube = rng.integers(0, 100, (3, 4, 2))
    check(mod, "small_ints", rng.random(7), np.array([0, 6, 6, 2], np.uint8),
          rng.random((3, 4)) > 0.5, cube)
    check(mod, "small_ints", rng.random(7), np.array([7], np.uint8),
          np.ones((3, 4), bool), cube)


AXES_SOURCE = '''
import numpy as np
from kiln.types import float64, int64, int32, int16


def cols(m: float64[:, :], idx: int64[:], j32: int32[:], c: float64[:, :, :], k: int16):
    return (m[:, idx], m[idx, 1:], m[1:, j32], c[:, idx, ::2], m[k:, k], c[1, :, idx],
            c[:, 1, idx], c[1, idx, :], c[0, None, idx])
'''


@pytest.fixture(scope="module")
def axes(compile_module):
    return compile_module(AXES_SOURCE, "fancy_axes", options=("-O2",))


@pytest.mark.parametrize("idx", [[0, -1, 2, 2], [3], [], [-4, 1]])
def test_integer_array_on_other_axes(axes, idx):
    rng = np.random.default_rng(len(idx))
    m, c = rng.random((4, 5)), rng.random((2, 5, 6))
    check(axes, "cols", m, np.array(idx, dtype=np.int64), np.array([4, 0], np.int32), c,
          np.int16(1))


@pytest.mark.parametrize("bad", [[7], [-9], [0, 5]])
def test_integer_array_on_other_axes_out_of_bounds(axes, bad):
    m, c = np.zeros((4, 5)), np.zeros((2, 5, 6))
    check(axes, "cols", m, np.array(bad), np.zeros(1, np.int32), c, np.int16(0))
