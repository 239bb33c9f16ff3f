"""Statements and expressions beyond the basics: module constants, chained
and annotated assignment, docstrings, tuple operations, float("inf")
(e2e differential case)."""
import math  # noqa: F401 - the import itself is under test
import numpy as np  # noqa: F401 - the import itself is under test

N = 10
SCALE = 2.5
NEG = -3


def use_constants(x: float):
    """A docstring is allowed."""
    return x * SCALE + N - NEG


def chained_assign(n: int):
    a = b = n * 2
    a += 1
    return (a, b)


def annotated_float(n: int):
    # documented: an annotated assignment fixes the variable's type
    x: float = 0
    for i in range(n):
        x += i
    return x


def annotated_int(n: int):
    k: int = n
    k //= 2
    return k


def tuple_eq(a: int, b: int):
    return ((a, b) == (b, a), (a, b) != (a, 0))


def tuple_len_concat(a: int, x: float):
    t = (a, x) + (x > 0, a * 2)
    return (len(t), t)


# kiln export float_specials()
def float_specials():
    return (float("inf"), float("-inf"), float("nan"))


def inf_compare(x: float):
    return x < float("inf")


def falls_off(n: int):
    # documented deviation 5: a value on some paths, falls off on others
    if n > 0:
        return n


def long_arith(a: int, b: int, c: float):
    x = a
    y = b
    z = c
    for i in range(5):
        x = (x * 31 + y) % 1000003
        y = (y ^ x) + i
        z = z * 0.5 + x / 7.0
    return (x, y, z)


if __name__ == "__main__":
    print(use_constants(1.0))
