# RUN: %verify-diags %s
from kiln.types import float64


def float_bound(a: float64[:], x: float):
    # expected-error:14 {{slice indices must be integers or None, found `float`}}
    return a[x:]


def too_many(a: float64[:]):
    # expected-error:18 {{too many indices for array: array is 1-dimensional, but 2 were indexed}}
    return a[1:, :]
