# RUN: %verify-diags %s
# A default must fit its parameter's NumPy type, as an argument must;
# complex parameters (two slots at the boundary) take no default yet.
from kiln.types import int8, uint16


# expected-error:19 {{expected a default that fits `int8` for `x`, found `300`}}
def big(x: int8 = 300):
    return x


# expected-error:26 {{expected a default that fits `uint16` for `n`, found `-1`}}
def negative(n: uint16 = -1):
    return n


# expected-error:23 {{defaults of complex parameters are not supported by Kiln yet}}
def cplx(z: complex = 2.0):
    return z


def fine(x: int8 = -128, n: uint16 = 65535):
    return x, n
