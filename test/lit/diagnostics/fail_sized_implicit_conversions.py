# RUN: %verify-diags %s
# A float never becomes an integer, nor a complex number a real one, without
# being asked: as `-> int` refuses a float result, `-> int8` does. Explicit
# conversions (np.int8(x), astype, storing into an array) are NumPy's casts.
import numpy as np
from kiln.types import int8, float32


# expected-note@+2:9 {{`x` assigned `float` here}}
# expected-note@+1:22 {{the return type `numpy.int8` is declared here}}
def ret(x: float) -> int8:
    # expected-error:12 {{expected `numpy.int8` for the return value, found `float`}}
    return x * 2


# expected-note@+2:11 {{`z` assigned `complex` here}}
# expected-note@+1:26 {{the return type `numpy.float32` is declared here}}
def ret_c(z: complex) -> float32:
    # expected-error:12 {{expected `numpy.float32` for the return value, found `complex`}}
    return z


def fine(x: float, n: int) -> float32:
    return np.int8(x) + n
