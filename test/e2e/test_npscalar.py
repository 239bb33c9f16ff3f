"""NumPy's scalar functions (cases/npscalar.py) against NumPy itself. They
never raise: sqrt(-1) is NaN, log(0) is -inf. Exact functions are compared
bit for bit; transcendental ones within 2 ulp, since Kiln uses the C
library's libm while NumPy may use its own SIMD kernels."""
import math
import warnings

import numpy as np
import pytest

XS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 1e-300, 1e300, 710.0, -745.5,
      math.pi, 3.7, -3.7, float("inf"), float("-inf"), float("nan")]
EXACT = ["sqrt", "floor", "ceil", "fabs", "absolute", "isnan", "isfinite"]
APPROX = ["exp", "log", "log10", "sin", "arcsin"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("npscalar.py")


def same_bits(a, b):
    if isinstance(b, (bool, np.bool_)):
        return type(a) is bool and a == bool(b)
    if math.isnan(b):
        return math.isnan(a)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def close(a, b):
    if math.isnan(b) or math.isinf(b):
        return same_bits(a, float(b))
    return abs(a - b) <= 2 * math.ulp(b)


def numpy_of(m, name, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns where Kiln is silent
        return getattr(m.py, name)(*args)


@pytest.mark.parametrize("name", EXACT)
def test_exact(m, name):
    for x in XS:
        got, want = getattr(m.k, name)(x), numpy_of(m, name, x)
        assert same_bits(got, want), (name, x, got, want)


@pytest.mark.parametrize("name", APPROX)
def test_transcendental(m, name):
    for x in XS:
        got, want = getattr(m.k, name)(x), numpy_of(m, name, x)
        assert type(got) is float and close(got, float(want)), (name, x, got, want)


def test_two_arguments(m):
    for y in XS:
        for x in XS[:8]:
            got, want = m.k.arctan2(y, x), numpy_of(m, "arctan2", y, x)
            assert close(got, float(want)), (y, x, got, want)


def test_scalar_types(m):
    assert m.k.as_float(3) == 3.0 and type(m.k.as_float(3)) is float
    assert m.k.as_int(3.9) == 3 and m.k.as_int(-3.9) == -3
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        m.k.as_int(float("nan"))
