# RUN: %verify-diags %s
# Array indices are ints: a float is refused (as NumPy does), and so is a
# bool (NumPy would read it as a mask).
from kiln.types import float64


def by_float(a: float64[:], x: float) -> float:
    # expected-error:14 {{array indices must be integers, found `float`}}
    return a[x]


def by_bool(a: float64[:], p: bool) -> float:
    # expected-error:14 {{array indices must be integers, found `bool`}}
    return a[p]


def by_float_literal(a: float64[:, :]) -> float:
    # expected-error:17 {{array indices must be integers, found `float`}}
    return a[0, 1.0]


def store_by_float(a: float64[:], x: float):
    # expected-error:7 {{array indices must be integers, found `float`}}
    a[x] = 1.0
