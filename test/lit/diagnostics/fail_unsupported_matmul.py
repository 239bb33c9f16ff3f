# RUN: %verify-diags %s
import numpy as np
from kiln.types import float64


def f(a: int, b: int) -> int:
    # expected-error:12 {{`@` of `int` and `int` (only 1-D and 2-D int64/float64 arrays) is not supported by Kiln yet}}
    return a @ b


def g(a: float64[:, :, :], b: float64[:]):
    # expected-error:12 {{`@` of `ndarray[float64, ndim=3]` and `ndarray[float64, ndim=1]` (only 1-D and 2-D int64/float64 arrays) is not supported by Kiln yet}}
    return a @ b
