"""Differential tests of cases/mathfns.py: every supported math function on
edge tables and random inputs, with CPython's values, types and exceptions
("math domain error", "math range error")."""
import itertools
import math
import random

import pytest

from difftest import FLOATS, I64_MAX, I64_MIN, INF, INTS, NAN, check, kiln_int64

rng = random.Random(31337)

XS = FLOATS + [-2.0, 2.0, 709.78, 710.0, -710.0, -745.2, 1e5, 0.9999999, -1.0000001,
               100.0, math.pi, -math.pi / 2, 1e-10, -1e-10, 2.0**53, 1e16, 1e22]
R_XS = [rng.uniform(-10, 10) for _ in range(40)] + [
    math.ldexp(rng.uniform(-1, 1), rng.randint(-1074, 1023)) for _ in range(40)]
YS = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 3.0, -3.0, 1e-300, 1e308, 10.0, INF, -INF, NAN]

UNARY = ["sqrt", "exp", "log", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan",
         "sinh", "cosh", "tanh", "fabs", "isnan", "isinf", "isfinite", "expm1", "log1p",
         "exp2", "asinh", "acosh", "atanh", "erf", "erfc", "cbrt", "degrees", "radians"]
BINARY = ["atan2", "pow_", "hypot", "copysign", "fmod", "log_base"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("mathfns.py")


@pytest.mark.parametrize("name", UNARY)
def test_unary(m, name):
    k, py = m.pair(name)
    check(k, py, [(x,) for x in XS + R_XS])


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc"])
def test_to_int(m, name):
    k, py = m.pair(name)
    # huge values: CPython gives a bignum, Kiln an OverflowError (int64)
    check(k, kiln_int64(py), [(x,) for x in XS + R_XS + [9.3e18, -9.3e18, 2.0**63, -2.0**63,
                                                         9223372036854774784.0]])
    assert k(-0.5) == py(-0.5) and type(k(-0.5)) is int
    with pytest.raises(ValueError, match="^cannot convert float NaN to integer$"):
        k(NAN)
    with pytest.raises(OverflowError, match="^cannot convert float infinity to integer$"):
        k(-INF)


@pytest.mark.parametrize("name", BINARY)
def test_binary(m, name):
    k, py = m.pair(name)
    cases = list(itertools.product(XS[:30], YS)) + list(zip(R_XS, reversed(R_XS)))
    check(k, py, cases)


def test_domain_and_range_errors(m):
    k = m.k
    for f, arg in [(k.sqrt, -1.0), (k.log, 0.0), (k.log, -1.0), (k.log10, -0.0), (k.log2, -5.0),
                   (k.asin, 1.5), (k.acos, -1.0000001), (k.sin, INF), (k.cos, -INF),
                   (k.tan, INF), (k.log1p, -1.0), (k.log1p, -2.0)]:
        with pytest.raises(ValueError) as e:
            f(arg)
        assert str(e.value) == "math domain error", (f.__name__, arg)
    for f, arg in [(k.exp, 710.0), (k.sinh, 711.0), (k.cosh, -711.0), (k.expm1, 710.0)]:
        with pytest.raises(OverflowError) as e:
            f(arg)
        assert str(e.value) == "math range error", (f.__name__, arg)
    for f, args in [(k.pow_, (-8.0, 1 / 3)), (k.pow_, (0.0, -1.0)), (k.fmod, (1.0, 0.0)),
                    (k.fmod, (INF, 1.0)), (k.log_base, (2.0, -1.0)), (k.atan2, (1.0, 1.0))]:
        if f is k.atan2:
            continue
        with pytest.raises(ValueError) as e:
            f(*args)
        assert str(e.value) == "math domain error", (f.__name__, args)
    with pytest.raises(OverflowError) as e:
        k.pow_(10.0, 400.0)
    assert str(e.value) == "math range error"
    # math.log(x, 1) divides by log(1) == 0
    with pytest.raises(ZeroDivisionError) as e:
        k.log_base(2.0, 1.0)
    assert str(e.value) == "float division by zero"
    # NaN in, NaN out (no error)
    assert math.isnan(k.sqrt(NAN)) and math.isnan(k.exp(NAN)) and math.isnan(k.pow_(NAN, 2.0))
    assert k.exp(-INF) == 0.0 and k.exp(INF) == INF and k.log(INF) == INF


def test_signed_zeros(m):
    for name, x in [("sqrt", -0.0), ("sin", -0.0), ("tan", -0.0), ("atan", -0.0),
                    ("expm1", -0.0), ("log1p", -0.0), ("tanh", -0.0), ("asin", -0.0)]:
        r = getattr(m.k, name)(x)
        assert r == 0.0 and math.copysign(1.0, r) == -1.0, name
    assert math.copysign(1.0, m.k.fabs(-0.0)) == 1.0
    assert m.k.copysign(3.0, -0.0) == -3.0 and m.k.copysign(-3.0, NAN) == 3.0
    assert m.k.atan2(-0.0, -1.0) == -math.pi and m.k.atan2(0.0, -0.0) == math.pi


def test_int_arguments(m):
    ints = INTS + [0, -1]
    for name in ["sqrt_i", "exp_i", "log_i", "fabs_i", "isnan_i", "floor_i", "ceil_i"]:
        k, py = m.pair(name)
        check(k, py, [(a,) for a in ints])
    check(m.k.log_base_i, m.py.log_base_i,
          itertools.product([0, 1, 2, 8, 1000, -4, I64_MAX], [0, 1, 2, 10, -2, I64_MAX]))
    check(m.k.atan2_i, m.py.atan2_i, itertools.product([0, 1, -1, I64_MIN], [0, -1, I64_MAX]))
    check(m.k.hypot_mixed, m.py.hypot_mixed, itertools.product(INTS, YS))
    r = m.k.floor_i(7)
    assert r == 7 and type(r) is int


def test_constants_and_composites(m):
    check(m.k.constants, m.py.constants, [()])
    assert m.k.constants() == (math.pi, math.e, INF, -INF, math.tau)
    assert math.isnan(m.k.nan_const())
    check(m.k.from_import, m.py.from_import, [(x,) for x in XS])
    check(m.k.formula, m.py.formula, list(zip(R_XS, reversed(R_XS))) +
          list(itertools.product([0.0, 1.0, -2.0, INF], [0.0, -1.0, 3.0])))
    check(m.k.gaussian, m.py.gaussian,
          [(rng.uniform(-5, 5), rng.uniform(-1, 1), rng.uniform(0.1, 3)) for _ in range(50)]
          + [(0.0, 0.0, 0.0), (1.0, 0.0, -1.0), (1e300, 0.0, 1e-300)])


def test_integer_functions(m):
    # CPython's values; a result outside 64 bits is OverflowError (Kiln's int).
    pairs = [(a, b) for a in [0, 1, -1, 12, 18, -18, 2 ** 31, 2 ** 62, -(2 ** 62), I64_MAX]
             for b in [0, 1, -3, 6, 2 ** 31, 97]] + [
        (rng.randint(-10 ** 9, 10 ** 9), rng.randint(-10 ** 9, 10 ** 9)) for _ in range(100)]
    for name in ["gcd", "lcm"]:
        k, py = m.pair(name)
        check(k, kiln_int64(py), pairs)
    for name in ["factorial", "perm1"]:
        k, py = m.pair(name)
        check(k, kiln_int64(py), [(n,) for n in range(-3, 25)])
    k, py = m.pair("isqrt")
    check(k, py, [(n,) for n in [-1, 0, 1, 2, 3, 4, 15, 16, 17, 10 ** 12, 2 ** 62, I64_MAX,
                                 (2 ** 31 - 1) ** 2, (2 ** 31) ** 2 - 1]] +
          [(rng.randint(0, I64_MAX),) for _ in range(100)])
    for name in ["comb", "perm"]:
        k, py = m.pair(name)
        check(k, kiln_int64(py), [(n, r) for n in range(-1, 68, 3) for r in range(-1, 70, 5)])
