# RUN: %verify-diags %s
# Element types other than bool, int64 and float64, wherever a dtype is
# written: dtype= of creation functions, astype, and string names.
import numpy as np
from kiln.types import float64


def zeros32(n: int):
    # expected-error:30 {{arrays of `int32` are not supported by Kiln yet; array elements can be `float64`, `int64` or `bool`}}
    return np.zeros(n, dtype=np.int32)


def ones_str(n: int):
    # expected-error:29 {{arrays of `complex128` are not supported by Kiln yet}}
    return np.ones(n, dtype="complex128")


def narrow(a: float64[:]):
    # expected-error:21 {{arrays of `float32` are not supported by Kiln yet}}
    return a.astype(np.float32)


def positional(n: int):
    # expected-error:24 {{arrays of `uint8` are not supported by Kiln yet}}
    return np.empty(n, np.uint8)
