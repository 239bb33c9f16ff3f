# RUN: %verify-diags %s
# A shape is an int or a tuple of ints.
import numpy as np
from kiln.types import float64


def float_shape(x: float):
    # expected-error:21 {{expected a shape (an int or a tuple of ints), found `float`}}
    return np.zeros(x)


def float_in_tuple(n: int, x: float):
    # expected-error:20 {{expected a shape (an int or a tuple of ints), found `tuple[int, float]`}}
    return np.ones((n, x))


def array_shape(a: float64[:]):
    # expected-error:21 {{expected a shape (an int or a tuple of ints)}}
    return np.empty(a)
