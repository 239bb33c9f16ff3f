import math
"""Differential tests of cases/builtins_.py: abs, min, max, int, float, bool,
round (half to even), divmod, pow - values, result types and exceptions."""
import itertools
import random

import pytest

from difftest import (FLOATS, I64_MAX, I64_MIN, INF, INTS, NAN, OVERFLOW_MSG, SMALL_INTS,
                      check, kiln_int64, kiln_pow)

rng = random.Random(4242)
BOOLS = [False, True]
R_INTS = [rng.randint(-2**63, 2**63 - 1) for _ in range(30)]
R_FLOATS = [rng.uniform(-1e6, 1e6) for _ in range(30)]
MINMAX_FLOATS = [0.0, -0.0, 1.0, -1.0, 2.5, INF, -INF, NAN, 5e-324]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("builtins_.py")


def test_abs(m):
    check(m.k.abs_i, kiln_int64(m.py.abs_i), [(a,) for a in INTS + R_INTS])
    check(m.k.abs_f, m.py.abs_f, [(x,) for x in FLOATS + R_FLOATS])
    check(m.k.abs_b, m.py.abs_b, [(p,) for p in BOOLS])
    with pytest.raises(OverflowError, match="^" + OVERFLOW_MSG + "$"):
        m.k.abs_i(I64_MIN)


def test_min_max_ints(m):
    for name in ["min_ii", "max_ii"]:
        check(getattr(m.k, name), getattr(m.py, name), itertools.product(INTS, INTS))
    for name in ["min4_i", "max4_i"]:
        check(getattr(m.k, name), getattr(m.py, name),
              itertools.product([I64_MIN, -1, 0, 3, I64_MAX], repeat=4))


def test_min_max_floats(m):
    # Python keeps the first of equal arguments and NaN handling depends on
    # the order: max(nan, 1.0) is nan, max(1.0, nan) is 1.0, max(0.0, -0.0) is 0.0
    for name in ["min_ff", "max_ff"]:
        check(getattr(m.k, name), getattr(m.py, name), itertools.product(FLOATS, FLOATS))
    for name in ["min3_f", "max3_f"]:
        check(getattr(m.k, name), getattr(m.py, name), itertools.product(MINMAX_FLOATS, repeat=3))


def as_joined_float(f):
    """Documented deviation (docs/language.md): min/max of an int and a float
    pick the argument CPython picks, returned as a float (the joined type)."""
    def g(*args):
        return float(f(*args))
    g.__name__ = f.__name__
    return g


def test_min_max_mixed(m):
    for name in ["min_if", "max_if"]:
        check(getattr(m.k, name), as_joined_float(getattr(m.py, name)),
              itertools.product([-3, 0, 2, 2**53 + 1, I64_MAX], [-3.0, 0.0, -0.0, 2.0, 2.5, NAN]))
    # The pick is CPython's: with a NaN second argument the int is kept.
    assert m.k.max_if(2**53 + 1, NAN) == float(2**53 + 1)
    assert m.k.min_if(2, -0.0) == -0.0 and math.copysign(1.0, m.k.min_if(2, -0.0)) == -1.0


def test_int_conversion(m):
    xs = FLOATS + R_FLOATS + [9.3e18, -9.3e18, 2.0**63, -2.0**63, 9223372036854774784.0,
                              -0.99, 0.99, 1e15 + 0.5]
    check(m.k.int_f, kiln_int64(m.py.int_f), [(x,) for x in xs])
    with pytest.raises(ValueError, match="^cannot convert float NaN to integer$"):
        m.k.int_f(NAN)
    with pytest.raises(OverflowError, match="^cannot convert float infinity to integer$"):
        m.k.int_f(INF)
    check(m.k.int_i, m.py.int_i, [(a,) for a in INTS])
    check(m.k.int_b, m.py.int_b, [(p,) for p in BOOLS])
    check(m.k.int_of_expr, m.py.int_of_expr,
          list(zip(R_FLOATS, reversed(R_FLOATS))) + [(1.0, 0.0), (7.5, -2.0), (NAN, 1.0)])


def test_float_and_bool_conversion(m):
    check(m.k.float_i, m.py.float_i, [(a,) for a in INTS + R_INTS + [2**53 + 1, -(2**53) - 1]])
    check(m.k.float_f, m.py.float_f, [(x,) for x in FLOATS])
    check(m.k.float_b, m.py.float_b, [(p,) for p in BOOLS])
    check(m.k.bool_i, m.py.bool_i, [(a,) for a in INTS])
    check(m.k.bool_f, m.py.bool_f, [(x,) for x in FLOATS])
    check(m.k.bool_b, m.py.bool_b, [(p,) for p in BOOLS])


def test_round_half_even(m):
    xs = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.675, 1e15 + 0.5,
          4503599627370497.0, 4503599627370495.5, -4503599627370495.5, 2.0**52 + 0.5,
          9.2e18, -9.2e18, 9.3e18]
    check(m.k.round_f, kiln_int64(m.py.round_f), [(x,) for x in FLOATS + R_FLOATS + xs])
    assert m.k.round_f(2.5) == 2 and m.k.round_f(-0.5) == 0 and type(m.k.round_f(0.5)) is int
    check(m.k.round_i, m.py.round_i, [(a,) for a in INTS])


def test_divmod(m):
    check(m.k.divmod_ii, kiln_int64(m.py.divmod_ii), itertools.product(INTS, INTS))
    check(m.k.divmod_ff, m.py.divmod_ff, itertools.product(FLOATS, FLOATS))
    check(m.k.divmod_if, m.py.divmod_if, itertools.product(INTS, FLOATS))
    with pytest.raises(ZeroDivisionError) as e:
        m.k.divmod_ff(1.0, 0.0)
    assert str(e.value) == "float divmod()"
    with pytest.raises(OverflowError, match="^" + OVERFLOW_MSG + "$"):
        m.k.divmod_ii(I64_MIN, -1)


def test_pow_builtin(m):
    exps = [0, 1, 2, 3, 10, 62, 63, 64, -1, -2]
    check(m.k.pow_ii, kiln_pow(m.py.pow_ii), itertools.product(INTS, exps))
    check(m.k.pow_ff, kiln_pow(m.py.pow_ff),
          itertools.product(FLOATS, [0.0, -0.0, 0.5, -1.0, 2.0, 3.0, 1e10, INF, -INF, NAN]))
    check(m.k.pow_fi, kiln_pow(m.py.pow_fi), itertools.product(FLOATS, exps + [I64_MAX, I64_MIN]))
    check(m.k.pow_neg_const, m.py.pow_neg_const, [(a,) for a in INTS])
    r = m.k.pow_neg_const(2)
    assert r == 0.5 and type(r) is float


def test_nested(m):
    check(m.k.nested_builtins, m.py.nested_builtins,
          list(zip(R_FLOATS, [rng.randint(-10**6, 10**6) for _ in R_FLOATS]))
          + list(itertools.product([0.5, -2.5, 1e6], SMALL_INTS)))
