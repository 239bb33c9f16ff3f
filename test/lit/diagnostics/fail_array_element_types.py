# RUN: %verify-diags %s
# Arrays of bool and NumPy's integer and float types are supported; complex
# and float16 element types are recognised and reported.
from kiln.types import complex64, float64

# expected-error:14 {{arrays of `complex64` are not supported by Kiln yet}}
def total(a: complex64[:]) -> int:
    return 0


# expected-error:14 {{`float64[3]` is not an array type Kiln understands}}
def fixed(a: float64[3]) -> int:
    return 0
