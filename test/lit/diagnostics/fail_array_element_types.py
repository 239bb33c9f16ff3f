# RUN: %verify-diags %s
# Arrays of bool, int64 and float64 are supported; other element types are
# recognised and reported.
from kiln.types import int32, float64

# expected-error:14 {{arrays of `int32` are not supported by Kiln yet}}
def total(a: int32[:]) -> int:
    return 0


# expected-error:14 {{`float64[3]` is not an array type Kiln understands}}
def fixed(a: float64[3]) -> int:
    return 0
