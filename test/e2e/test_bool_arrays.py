"""Arithmetic on bool arrays follows NumPy: `+` is `or` and `*` is `and`
(the result stays bool), `/` gives float64, sums count the True values,
and bool with an int scalar is int64."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np
from kiln.types import float64


def ops(a: float64[:], b: float64[:]):
    x = a > 0.5
    y = b > 0.5
    return x + y, x * y, x + 1, x * 2.5, (x + y).sum(), np.sum(x * y), np.mean(x), x & ~y
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "bool_arrays", options=("-O2",))


@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_bool_arithmetic_as_numpy(mod, n):
    rng = np.random.default_rng(n)
    a, b = rng.random(n), rng.random(n)
    got, want = mod.k.ops(a, b), mod.py.ops(a, b)
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


def test_bool_subtraction_is_refused(kiln, tmp_path):
    from conftest import run_kiln
    src = tmp_path / "bool_sub.py"
    src.write_text("from kiln.types import float64\n\n"
                   "def f(a: float64[:]):\n"
                   "    return (a > 0) - (a > 1)\n")
    r = run_kiln(kiln, "compile", src, "-o", tmp_path / "bool_sub.abi3.so")
    assert r.returncode == 1
    assert "bool_sub.py:4:12: error: `-` between bool arrays (NumPy refuses it too: use `^` or np.logical_xor) is not supported by Kiln yet" in r.stderr
