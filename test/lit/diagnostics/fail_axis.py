# RUN: %verify-diags %s
# The axis of a reduction decides the rank of its result, so it must be a
# constant, and within the array's rank.
import numpy as np
from kiln.types import float64


def out_of_range(a: float64[:, :]):
    # expected-error:23 {{axis 2 is out of bounds for array of dimension 2}}
    return a.sum(axis=2)


def negative_out_of_range(a: float64[:, :]):
    # expected-error:22 {{axis -3 is out of bounds for array of dimension 2}}
    return np.max(a, -3)


def not_constant(a: float64[:, :], k: int):
    # expected-error:24 {{`axis` must be an integer constant or None: it decides the rank of the result}}
    return a.mean(axis=k)
