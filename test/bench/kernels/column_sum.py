"""Column sums of a tall matrix: a reduction over the leading axis."""
import numpy as np

#pythran export column_sum(float64[:,:])


def column_sum(x):
    return x.sum(axis=0)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 100, "medium": 4000, "large": 40000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random((n, 500)),)


TOLERANCE = {"rtol": 1e-9, "atol": 0.0}
