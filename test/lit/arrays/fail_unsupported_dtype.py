# RUN: %verify-diags %s
# Element types Kiln does not have (float16, long double, strings), wherever a dtype is
# written: dtype= of creation functions, astype, and string names.
import numpy as np
from kiln.types import float64


def zeros32(n: int):
    # expected-error:30 {{arrays of `longdouble` are not supported by Kiln yet; array elements can be `bool`, NumPy's integer, float32/float64 and complex64/complex128 types}}
    return np.zeros(n, dtype=np.longdouble)


def ones_str(n: int):
    # expected-error:29 {{arrays of `float128` are not supported by Kiln yet}}
    return np.ones(n, dtype="float128")


def narrow(a: float64[:]):
    # expected-error:21 {{arrays of `float16` are not supported by Kiln yet}}
    return a.astype(np.float16)


def positional(n: int):
    # expected-error:24 {{arrays of `str` are not supported by Kiln yet}}
    return np.empty(n, str)
