"""Scale a vector to unit sum: a reduction, then an element-wise division by its result."""
import numpy as np

#pythran export normalize(float64[:])


def normalize(x):
    return x / np.sum(x)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random(n),)


TOLERANCE = {"rtol": 1e-12, "atol": 0.0}
