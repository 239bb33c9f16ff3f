# RUN: %verify-diags %s
# Arrays of bool and NumPy's integer, float and complex types are supported;
# float16 (which Kiln does not have) is recognised and reported.
from kiln.types import float64

# expected-error:15 {{arrays of `float16` are not supported by Kiln yet}}
def total(a: "float16[:]") -> int:
    return 0


# expected-error:14 {{`float64[3]` is not an array type Kiln understands}}
def fixed(a: float64[3]) -> int:
    return 0
