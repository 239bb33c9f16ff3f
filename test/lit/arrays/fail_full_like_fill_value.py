# RUN: %verify-diags %s
# A fill value that is not a number is reported where it is written (it
# used to be dropped silently, leaving only a misleading return-type error).
import numpy as np
from kiln.types import float64


def f(a: float64[:]):
    # expected-error:28 {{expected a number to fill with, found `tuple[int, int]`}}
    return np.full_like(a, (1, 2))
