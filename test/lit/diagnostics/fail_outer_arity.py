# RUN: %verify-diags %s
# np.outer called with other than two arrays: a diagnostic. It recursed
# without end and crashed the compiler (found by the frontend fuzzer).
import numpy as np


def one(a: "float64[:]"):
    # expected-error:12 {{call to `np.outer` is not supported by Kiln yet}}
    return np.outer(a)


def keyword(a: "float64[:]"):
    # expected-error:27 {{`np.outer` got an unexpected keyword argument `out`}}
    return np.outer(a, a, out=a)
