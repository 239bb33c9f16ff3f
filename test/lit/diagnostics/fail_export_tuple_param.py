# RUN: %verify-diags %s
# Tuples of numbers and lists are parameters; arrays inside them are not yet.
import numpy as np


# expected-error:10 {{arrays inside tuple parameters are not supported by Kiln yet}}
def f(t: tuple[int, "float64[:]"]) -> int:
    return 0


def g(t: tuple[int, int]) -> int:
    return t[0]
