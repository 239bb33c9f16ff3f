"""NumPy's API (issue #18): creation keywords, views NumPy documents as
views, reshape's unknown extents, and the element-wise functions, each
compared with NumPy on the same source: values, dtypes, shapes, errors and
the argument arrays after the call."""
import numpy as np
import pytest

from arraydiff import check

SOURCE = '''
import numpy as np
from kiln.types import complex128, float64, int64


def lin_int(a: float, b: float, n: int):
    return np.linspace(a, b, n, dtype=np.int64)


def lin_small(n: int):
    return (np.linspace(0, 10, n, dtype=np.uint8), np.linspace(0, 1, n, dtype=complex),
            np.linspace(0, 1, n, dtype=bool), np.linspace(0.0, 1.0, n, endpoint=False,
                                                          dtype=np.float32))


def imag_write(a: complex128[:]):
    np.imag(a)[0] = 1.0
    v = np.real(a)
    v[1] = 7.0
    return a


def real_of_real(a: float64[:]):
    v = np.real(a)
    v[0] = 5.0
    return a


def parts_expr(a: complex128[:]):
    return np.real(a) * 2.0 + np.imag(a), np.real(a * a), np.imag(a[1:])


def scalar_parts(z: complex, x: float):
    return np.real(z) + np.imag(z) + np.real(x) + np.imag(x)


def rs(a: float64[:], s: int):
    return a.reshape(s)


def rs2(a: float64[:], r: int, c: int):
    return a.reshape(r, c)


def rs_lit(a: float64[:]):
    return a.reshape(2, -10), np.reshape(a, (-3, 2))


def rs_tuple(a: float64[:], r: int, c: int):
    t = (r, c)
    return np.reshape(a, t)
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "numpy_api")


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 50])
def test_linspace_dtype(mod, n):
    # NumPy floors the samples for an integer dtype, then converts.
    for a, b in [(1.0, 4.0), (-1.0, -4.0), (0.5, -2.5)]:
        assert check(mod, "lin_int", a, b, n) == "ok"
    assert check(mod, "lin_small", n) == "ok"


def test_real_imag_are_views(mod):
    z = np.arange(4) + 1j * np.arange(4)
    assert check(mod, "imag_write", z) == "ok"
    assert check(mod, "real_of_real", np.arange(4.0)) == "ok"
    assert check(mod, "parts_expr", z) == "ok"
    assert mod.k.scalar_parts(1 + 2j, 3.0) == mod.py.scalar_parts(1 + 2j, 3.0)


def test_reshape_negative_extents(mod):
    a = np.arange(6.0)
    for s in [-1, -10, 6, 5, 0]:
        check(mod, "rs", a, s)
    for r, c in [(2, 3), (2, -1), (-5, 3), (-1, -1), (4, -3), (0, -1), (3, -2), (-2, 2), (1, 6),
                 (2, 2), (-7, -1)]:
        check(mod, "rs2", a, r, c)
        check(mod, "rs_tuple", a, r, c)
    for r, c in [(0, -1), (-1, 0), (-1, 3), (3, -1), (0, 0)]:
        check(mod, "rs2", np.zeros(0), r, c)
    assert check(mod, "rs_lit", a) == "ok"
