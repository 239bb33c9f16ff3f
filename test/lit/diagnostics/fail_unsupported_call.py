# RUN: %verify-diags %s

import math


def f(x: float) -> float:
    # expected-error:12 {{call to `math.nosuchfn` is not supported by Kiln yet}}
    return math.nosuchfn(x)
