"""Pythran's export language in full (cases/pythran_exports.py), each
export form called from Python and compared with CPython; `.pythran` spec
files beside the module; module constants as attributes."""
import subprocess

import numpy as np
import pytest

from conftest import _load_extension, run_kiln


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("pythran_exports.py")


def same(k, p, *args):
    """The same result (arrays element by element, with dtype and shape)
    and the same arguments afterwards, from copies of the same arguments."""
    def copies():
        return [a.copy() if hasattr(a, "copy") else a for a in args]
    ka, pa = copies(), copies()
    got, want = k(*ka), p(*pa)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    else:
        assert got == want, (got, want)
        assert type(got) is type(want) or isinstance(want, np.floating), (got, want)
    for g, w in zip(ka, pa):
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w)
        else:
            assert g == w


RNG = np.random.default_rng(3)


def test_several_functions_in_one_comment(m):
    v = RNG.random(7)
    assert m.k.norm2(v) == float(m.py.norm2(v))  # NumPy gives numpy.float64
    same(m.k.dot3, m.py.dot3, v[:3], v[3:6])


def test_alternatives_and_optional_parameters(m):
    for args in [(3,), (3, 0.5), (2.5,), (2.5, -1.0), (True,)]:
        same(m.k.scale, m.py.scale, *args)
    assert type(m.k.scale(3)) is float
    with pytest.raises(TypeError):
        m.k.scale("a")


def test_continued_comment(m):
    a, b = RNG.random((3, 4)), RNG.random((3, 4))
    same(m.k.blend, m.py.blend, a, b, 0.25)


def test_orders(m):
    a = RNG.random((4, 5))
    same(m.k.trace, m.py.trace, a)
    same(m.k.colsum, m.py.colsum, np.asfortranarray(a))
    same(m.k.colsum, m.py.colsum, a)  # a C array is accepted as strided
    same(m.k.rowsum, m.py.rowsum, a)
    same(m.k.rowsum, m.py.rowsum, a[::2, ::-1])


def test_fixed_extents(m):
    a = RNG.random((5, 2))
    same(m.k.first_col, m.py.first_col, a)
    with pytest.raises(TypeError, match="expected extent 2 on axis 1"):
        m.k.first_col(RNG.random((5, 3)))
    with pytest.raises(TypeError, match="expected extent 3 on axis 0"):
        m.k.dot3(np.ones(4), np.ones(3))


def test_trailing_optionals(m):
    v = np.linspace(-2, 2, 9)
    same(m.k.clip, m.py.clip, v, -0.5)
    same(m.k.clip, m.py.clip, v, -0.5, 0.5)
    w = v.copy()
    same(m.k.clip, m.py.clip, w, -0.5, 0.5, True)


def test_parameters_left_to_defaults(m):
    v = RNG.random(10)
    same(m.k.smooth, m.py.smooth, v, 3)
    # `mode` is not exported: passing it is a TypeError, as in Pythran.
    with pytest.raises(TypeError):
        m.k.smooth(v, 3, 1)


def test_none_default_and_is_none(m):
    a = RNG.random(5)
    same(m.k.fill, m.py.fill, a)
    out = np.zeros(5)
    res = m.k.fill(a, out)
    assert np.array_equal(out, a * 2.0) and np.array_equal(res, a * 2.0)


def test_containers(m):
    same(m.k.histogram, m.py.histogram, [1, 2, 2, 5], {7: 1})
    same(m.k.pair_sum, m.py.pair_sum, [(1, 0.5), (3, 2.0)])
    same(m.k.uniq, m.py.uniq, {1, 5, 9})


SPEC_PY = '''
def area(w, h=2.0):
    return w * h

def grow(v, k):
    return v * k
'''

SPEC = '''# the exports of spec_mod.py
export area(float), area(int,
                         float)
export grow(float[] or int[], int)
'''


def test_pythran_spec_file(kiln, tmp_path):
    (tmp_path / "spec_mod.py").write_text(SPEC_PY)
    (tmp_path / "spec_mod.pythran").write_text(SPEC)
    so = tmp_path / "spec_mod.abi3.so"
    r = run_kiln(kiln, "compile", tmp_path / "spec_mod.py", "-o", so)
    assert r.returncode == 0, r.stderr
    k = _load_extension(so, "spec_mod")
    assert k.area(3.0) == 6.0 and k.area(3, 0.5) == 1.5
    assert np.array_equal(k.grow(np.arange(3), 2), [0, 2, 4])
    assert np.array_equal(k.grow(np.ones(2), 3), [3.0, 3.0])
    # A mistake in the spec file is reported in that file.
    (tmp_path / "spec_mod.pythran").write_text("export area(flaot)\n")
    r = run_kiln(kiln, "compile", tmp_path / "spec_mod.py", "-o", so)
    assert r.returncode == 1
    assert "spec_mod.pythran:1:13: error: unknown type `flaot`" in r.stderr


CONSTANTS = '''
import math
import numpy as np
from math import pi

N = 64
DX = 1.0 / N
N = N * 2
TWO_PI = 2 * math.pi
HALF_TURN = pi
LABEL = "grille à pas fixe"
DEBUG = False
STEPS = 10 ** 6
NEG = -7 // 2
MOD = -7 % 3
WEIGHTS = np.ones(3)

#pythran export N, DX, step(float)
def step(x):
    return x + DX * N
'''


def test_module_constants_are_attributes(compile_module):
    m = compile_module(CONSTANTS, name="consts_mod")
    for name in ["N", "DX", "TWO_PI", "HALF_TURN", "LABEL", "DEBUG", "STEPS", "NEG", "MOD"]:
        got, want = getattr(m.k, name), getattr(m.py, name)
        assert got == want and type(got) is type(want), name
    # Functions see the values Python computed, in file order.
    assert m.k.step(1.0) == m.py.step(1.0)
    # An array is not a constant Kiln can share yet: no attribute.
    assert not hasattr(m.k, "WEIGHTS")


RANKLESS = '''
import numpy as np
import numpy.typing as npt
from typing import Union


def total(a: np.ndarray) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def scale(a: npt.NDArray[np.float64], k: float) -> npt.NDArray[np.float64]:
    return a * k


def twice(x: Union[int, float]):
    return x * 2


def inc(x: int | float):
    return x + 1
'''


def test_rankless_array_annotations(compile_module):
    m = compile_module(RANKLESS, name="rankless")
    for a in [np.arange(6.0).reshape(2, 3), np.arange(6).reshape(3, 2)]:
        assert m.k.total(a) == m.py.total(a)
    # Only the rank that compiles is kept: a 1-D array is refused clearly.
    with pytest.raises(TypeError, match=r"accepted: total\(a: ndarray\[float64, ndim=2\]\), "
                                        r"total\(a: ndarray\[int64, ndim=2\]\)"):
        m.k.total(np.ones(3))
    for a in [np.ones(3), np.ones((2, 2)), np.ones((2, 1, 2))]:
        np.testing.assert_array_equal(m.k.scale(a, 3.0), m.py.scale(a, 3.0))
    with pytest.raises(TypeError):
        m.k.scale(np.ones(3, dtype=np.int64), 3.0)  # NDArray[np.float64] only
    for x in [2, 2.5, True]:
        for f in ["twice", "inc"]:
            got, want = getattr(m.k, f)(x), getattr(m.py, f)(x)
            assert got == want and type(got) is type(want), (f, x)


def test_rankless_error_when_no_rank_compiles(kiln, tmp_path):
    (tmp_path / "nr.py").write_text("import numpy as np\n\ndef bad(a: np.ndarray):\n"
                                    "    return a.foo\n")
    r = run_kiln(kiln, "compile", tmp_path / "nr.py", "-o", tmp_path / "nr.abi3.so")
    assert r.returncode == 1
    assert "attribute `.foo` of arrays is not supported" in r.stderr
    assert "Kiln tried arrays of ranks 1 to 3 and none compiled" in r.stderr
