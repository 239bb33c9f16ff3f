"""Polynomial evaluation by Horner's rule over an array (loop over coefficients, array expression over x)."""
import math

import numpy as np

#pythran export horner(float64[:], float64[:])


def horner(c, x):
    # c[0] is the coefficient of the highest power, as in np.polyval.
    y = np.full_like(x, c[0])
    for i in range(1, c.shape[0]):
        y = y * x + c[i]
    return y

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 4_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.standard_normal(16), rng.uniform(-1.0, 1.0, n))


TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
