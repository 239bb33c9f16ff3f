"""1-D 'valid' convolution (correlation form) of a long signal with a short filter, written with shifted slices."""
import math

import numpy as np

#pythran export convolve1d(float64[:], float64[:])


def convolve1d(x, w):
    n = x.shape[0]
    m = w.shape[0]
    out = np.zeros(n - m + 1)
    for k in range(m):
        out += w[k] * x[k:k + n - m + 1]
    return out

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 4_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.standard_normal(n), rng.standard_normal(7))


TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
