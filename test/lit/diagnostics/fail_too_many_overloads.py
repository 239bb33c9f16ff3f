# RUN: %verify-diags %s
# Too many combinations of annotation alternatives are refused.
import numpy as np


# expected-error@+1 {{the annotations of `many` allow 216 combinations of types; Kiln compiles at most 64 overloads}}
def many(a: np.ndarray, b: np.ndarray, c: np.ndarray):
    return 0
