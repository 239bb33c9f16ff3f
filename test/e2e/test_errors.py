"""Exceptions raised inside compiled code (cases/errors.py): same class, args
and str() as CPython, or Kiln's documented deviation spelled out.
RELIABILITY rows 11, 12, 13, 25."""
import itertools
import math

import pytest

from difftest import (COMPLEX_POW_MSG, FLOATS, I64_MAX, I64_MIN, INF, INTS, NAN, NEG_POW_MSG,
                      OVERFLOW_MSG, check, kiln_int64, kiln_pow, same_value)


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("errors.py")


def raised(f, *args):
    with pytest.raises(BaseException) as e:
        f(*args)
    return e.value


def same_exception(k, py, *args):
    ek, ep = raised(k, *args), raised(py, *args)
    assert type(ek) is type(ep), (args, ek, ep)
    assert same_value(ek.args, ep.args), (args, ek.args, ep.args)
    assert str(ek) == str(ep)
    return ek


def test_raise_with_message(m):
    e = same_exception(m.k.check_positive, m.py.check_positive, -1)
    assert type(e) is ValueError and str(e) == "n must be >= 0"
    assert m.k.check_positive(5) == 5


def test_raise_with_several_args(m):
    # row 13: same class, same args, same str()
    e = same_exception(m.k.raise_args, m.py.raise_args, 7)
    assert e.args == ("bad", 7)
    e = same_exception(m.k.raise_float_arg, m.py.raise_float_arg, NAN)
    assert e.args[0] == "nan input" and math.isnan(e.args[1]) and e.args[2] is True
    assert m.k.raise_args(0) == 0


@pytest.mark.parametrize("k", range(12))
def test_raise_builtin_classes(m, k):
    same_exception(m.k.raise_kinds, m.py.raise_kinds, k)


def test_raise_no_error_path(m):
    assert m.k.raise_kinds(12) == 12


def test_raise_in_loop_and_helper(m):
    check(m.k.raise_in_loop, m.py.raise_in_loop, [(n,) for n in range(0, 20)])
    check(m.k.calls_raiser, m.py.calls_raiser,
          itertools.product([-5, 3, 10, 11, 1000], [0.5, 10.0, 10.5, NAN, INF]))
    e = same_exception(m.k.calls_raiser, m.py.calls_raiser, 3, 12.5)
    assert e.args == ("too big", 12.5)
    check(m.k.error_after_work, m.py.error_after_work, [(n,) for n in range(0, 10)])


def test_assert(m):
    e = same_exception(m.k.assert_msg, m.py.assert_msg, -1)
    assert type(e) is AssertionError and e.args == ("n must be non-negative",)
    assert m.k.assert_msg(0) == 1
    e = same_exception(m.k.assert_plain, m.py.assert_plain, NAN)
    assert type(e) is AssertionError and e.args == ()
    assert m.k.assert_plain(-0.0) == 0.0
    e = same_exception(m.k.assert_num_msg, m.py.assert_num_msg, 3)
    assert e.args == (3,)


def test_zero_division(m):
    ints = [0, 1, -1, 7, I64_MIN, I64_MAX]
    for name in ["zerodiv_int", "zeromod_int", "zerodiv_true", "divmod_zero"]:
        k, py = getattr(m.k, name), getattr(m.py, name)
        check(k, kiln_int64(py), itertools.product(ints, [0, 1, -1]))
        same_exception(k, py, 5, 0)
    for name in ["zerodiv_float", "zerofloordiv_float", "zeromod_float"]:
        k, py = getattr(m.k, name), getattr(m.py, name)
        check(k, py, itertools.product(FLOATS, [0.0, -0.0, 1.0]))
        same_exception(k, py, 5.0, 0.0)
    assert str(raised(m.k.zerodiv_int, 1, 0)) == "integer division or modulo by zero"
    assert str(raised(m.k.zerodiv_true, 1, 0)) == "division by zero"
    assert str(raised(m.k.zerodiv_float, 1.0, -0.0)) == "float division by zero"
    # INT64_MIN % -1 is 0, not a SIGFPE
    assert m.k.zeromod_int(I64_MIN, -1) == 0


def overflow(f, *args):
    with pytest.raises(OverflowError) as e:
        f(*args)
    assert str(e.value) == OVERFLOW_MSG, (f.__name__, args)


def test_int64_overflow(m):
    # Documented deviation 1: CPython grows a bignum, Kiln raises OverflowError.
    k = m.k
    overflow(k.overflow_add, I64_MAX, 1)
    overflow(k.overflow_add, I64_MIN, -1)
    overflow(k.overflow_mul, 2**32, 2**31)
    overflow(k.overflow_mul, -1, I64_MIN)
    overflow(k.overflow_mul, 2**62, 4)
    overflow(k.overflow_neg, I64_MIN)
    overflow(k.overflow_abs, I64_MIN)
    overflow(k.overflow_floordiv, I64_MIN, -1)
    overflow(k.overflow_pow, 2, 63)
    overflow(k.overflow_pow, 10, 19)
    overflow(k.overflow_loop, 19)
    assert k.overflow_loop(18) == 10**18
    assert k.overflow_mul(-(2**31), 2**32) == I64_MIN
    assert k.overflow_pow(-2, 63) == I64_MIN
    assert k.overflow_add(I64_MAX, I64_MIN) == -1
    check(k.overflow_mul, kiln_int64(m.py.overflow_mul), itertools.product(INTS, INTS))
    check(k.overflow_float_to_int, kiln_int64(m.py.overflow_float_to_int),
          [(x,) for x in FLOATS + [9.3e18, -9.3e18, -2.0**63, 2.0**63]])


def test_pow_errors(m):
    k = m.k
    # 0.0 ** -1 -> ZeroDivisionError, CPython's message
    same_exception(k.float_pow, m.py.float_pow, 0.0, -1.0)
    assert str(raised(k.float_pow, 0.0, -1.0)) == "0.0 cannot be raised to a negative power"
    # float overflow: CPython's OverflowError(34, 'Numerical result out of range')
    same_exception(k.float_pow, m.py.float_pow, 10.0, 400.0)
    # Documented deviation 4: (-8.0) ** (1/3) is complex in CPython; Kiln raises ValueError.
    assert isinstance(m.py.float_pow(-8.0, 1 / 3), complex)
    e = raised(k.float_pow, -8.0, 1 / 3)
    assert type(e) is ValueError and str(e) == COMPLEX_POW_MSG
    # Documented deviation 3: runtime negative exponent of int ** int.
    assert m.py.int_pow(2, -1) == 0.5
    e = raised(k.int_pow, 2, -1)
    assert type(e) is ValueError and str(e) == NEG_POW_MSG
    e = raised(k.int_pow, 0, -1)
    assert type(e) is ValueError and str(e) == NEG_POW_MSG
    assert k.int_pow(0, 0) == 1 and k.int_pow(-2, 3) == -8 and k.int_pow(2, 62) == 2**62
    check(k.float_pow, kiln_pow(m.py.float_pow), itertools.product(FLOATS, FLOATS))


def test_math_errors(m):
    xs = FLOATS + [-1e-300, 1000.0, 709.0, 710.0, 1.0000001, -1.0000001]
    for name in ["domain_sqrt", "domain_log", "range_exp", "domain_acos"]:
        check(getattr(m.k, name), getattr(m.py, name), [(x,) for x in xs])
    assert str(raised(m.k.domain_sqrt, -1.0)) == "math domain error"
    assert str(raised(m.k.domain_log, 0.0)) == "math domain error"
    assert type(raised(m.k.domain_log, 0.0)) is ValueError
    assert str(raised(m.k.range_exp, 1000.0)) == "math range error"


def test_unbound_local(m):
    for name, args in [("unbound_after_loop", (0,)), ("unbound_after_loop", (-5,)),
                       ("unbound_loop_var", (0,)), ("unbound_branch", (False,))]:
        e = same_exception(getattr(m.k, name), getattr(m.py, name), *args)
        assert type(e) is UnboundLocalError
        assert "where it is not associated with a value" in str(e)
    assert m.k.unbound_after_loop(3) == 4
    assert m.k.unbound_loop_var(3) == 2
    assert m.k.unbound_branch(True) == 1.5


def test_branch_with_constant_zero_division(m):
    # row 25: compiles, raises exactly when CPython would
    check(m.k.conditional_zerodiv, m.py.conditional_zerodiv, [(n,) for n in [-5, 0, 100, 101]])
    e = same_exception(m.k.conditional_zerodiv, m.py.conditional_zerodiv, 1000)
    assert type(e) is ZeroDivisionError
    check(m.k.conditional_zerodiv_float, m.py.conditional_zerodiv_float,
          [(x,) for x in [1.0, 0.0, -0.0, -1.0, NAN]])


def test_errors_do_not_poison_later_calls(m):
    # an exception leaves no stale state behind
    for _ in range(3):
        raised(m.k.zerodiv_int, 1, 0)
        assert m.k.zerodiv_int(7, 2) == 3
        raised(m.k.raise_args, 1)
        assert m.k.raise_args(0) == 0
        raised(m.k.domain_sqrt, -1.0)
        assert m.k.domain_sqrt(4.0) == 2.0
