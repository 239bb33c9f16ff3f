# RUN: %verify-diags %s

# expected-error:18 {{star imports are not supported by Kiln yet}}
from math import *


def f(x: float) -> float:
    return x
