# RUN: %verify-diags %s
# Element types Kiln does not have (complex, float16), wherever a dtype is
# written: dtype= of creation functions, astype, and string names.
import numpy as np
from kiln.types import float64


def zeros32(n: int):
    # expected-error:30 {{arrays of `complex64` are not supported by Kiln yet; array elements can be `bool`, NumPy's integer types or `float32`/`float64`}}
    return np.zeros(n, dtype=np.complex64)


def ones_str(n: int):
    # expected-error:29 {{arrays of `complex128` are not supported by Kiln yet}}
    return np.ones(n, dtype="complex128")


def narrow(a: float64[:]):
    # expected-error:21 {{arrays of `float16` are not supported by Kiln yet}}
    return a.astype(np.float16)


def positional(n: int):
    # expected-error:24 {{arrays of `complex` are not supported by Kiln yet}}
    return np.empty(n, complex)
