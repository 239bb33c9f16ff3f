"""Exceptions raised inside compiled code: raise, assert, ZeroDivisionError,
int64 overflow, math domain/range errors, UnboundLocalError
(e2e differential case)."""
import math


def check_positive(n: int):
    if n < 0:
        raise ValueError("n must be >= 0")
    return n


def raise_args(n: int):
    if n > 0:
        raise ValueError("bad", n)
    return 0


def raise_float_arg(x: float):
    if x != x:
        raise ArithmeticError("nan input", x, True)
    return x


def raise_kinds(k: int):
    if k == 0:
        raise ValueError("value")
    elif k == 1:
        raise TypeError("type")
    elif k == 2:
        raise IndexError("index", k)
    elif k == 3:
        raise KeyError("key")
    elif k == 4:
        raise RuntimeError("runtime")
    elif k == 5:
        raise ZeroDivisionError("zero")
    elif k == 6:
        raise OverflowError("overflow")
    elif k == 7:
        raise NotImplementedError("not implemented")
    elif k == 8:
        raise ArithmeticError(k, 2.5)
    elif k == 9:
        raise AssertionError("assertion")
    elif k == 10:
        raise ValueError
    elif k == 11:
        raise RuntimeError()
    return k


def raise_in_loop(n: int):
    s = 0
    for i in range(n):
        s += i
        if s > 100:
            raise OverflowError("sum too large", s)
    return s


def raise_in_helper(x):
    if x > 10:
        raise ValueError("too big", x)
    return x * 2


def calls_raiser(a: int, b: float):
    return raise_in_helper(a) + raise_in_helper(b)


def assert_msg(n: int):
    assert n >= 0, "n must be non-negative"
    return n + 1


def assert_plain(x: float):
    assert x == x
    return x


def assert_num_msg(n: int):
    assert n != 3, n
    return n


def zerodiv_int(a: int, b: int):
    return a // b


def zeromod_int(a: int, b: int):
    return a % b


def zerodiv_true(a: int, b: int):
    return a / b


def zerodiv_float(x: float, y: float):
    return x / y


def zerofloordiv_float(x: float, y: float):
    return x // y


def zeromod_float(x: float, y: float):
    return x % y


def divmod_zero(a: int, b: int):
    return divmod(a, b)


def overflow_add(a: int, b: int):
    return a + b


def overflow_mul(a: int, b: int):
    return a * b


def overflow_neg(a: int):
    return -a


def overflow_abs(a: int):
    return abs(a)


def overflow_floordiv(a: int, b: int):
    return a // b


def overflow_pow(a: int, b: int):
    return a ** b


def overflow_loop(n: int):
    p = 1
    for i in range(n):
        p *= 10
    return p


def overflow_float_to_int(x: float):
    return int(x)


def float_pow(x: float, y: float):
    return x ** y


def int_pow(a: int, b: int):
    return a ** b


def domain_sqrt(x: float):
    return math.sqrt(x)


def domain_log(x: float):
    return math.log(x)


def range_exp(x: float):
    return math.exp(x)


def domain_acos(x: float):
    return math.acos(x)


def unbound_after_loop(n: int):
    for i in range(n):
        last = i * 2
    return last


def unbound_loop_var(n: int):
    for i in range(n):
        pass
    return i


def unbound_branch(c: bool):
    if c:
        y = 1.5
    return y


def conditional_zerodiv(x: int):
    # compiles; raises only when the branch runs
    if x > 100:
        return 2 // 0
    return x


def conditional_zerodiv_float(x: float):
    if x < 0:
        return x / 0.0
    return x


def error_after_work(n: int):
    s = 0
    for i in range(n):
        s += i
    if s % 2 == 1:
        raise ValueError("odd sum", s)
    return s
