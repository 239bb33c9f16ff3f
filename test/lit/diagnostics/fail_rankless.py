# RUN: %verify-diags %s
# Annotations without a rank (`np.ndarray`) compile ranks 1 to 3; when none
# compiles, the first error is shown with a note saying what was tried.
import numpy as np


# expected-note@+1 {{`bad` has parameters without a rank (`np.ndarray`, `NDArray[...]`): Kiln tried arrays of ranks 1 to 3 and none compiled; this is the error for (ndarray[float64, ndim=1])}}
def bad(a: np.ndarray):
    # expected-error@+1 {{attribute `.foo` of arrays is not supported by Kiln yet}}
    return a.foo

