# RUN: %verify-diags %s
# The truth value of an array is ambiguous (NumPy raises for more than one
# element): refused at compile time wherever a condition is needed.
from kiln.types import float64


def in_if(a: float64[:]) -> int:
    # expected-error:8 {{the truth value of an array (use `a.size > 0`, or `a[i]` for one element) is not supported by Kiln yet}}
    if a:
        return 1
    return 0


def in_not(a: float64[:]) -> bool:
    # expected-error:16 {{the truth value of an array}}
    return not a


def in_while(a: float64[:]) -> int:
    n = 0
    # expected-error:11 {{the truth value of an array}}
    while a:
        n += 1
    return n


def in_bool(a: float64[:, :]) -> bool:
    # expected-error:17 {{the truth value of an array}}
    return bool(a)
