"""Histogram: counts of values in equal bins over [lo, hi) (data-dependent scatter, int64 counts)."""
import math

import numpy as np

#pythran export histogram(float64[:], int, float, float)


def histogram(x, bins, lo, hi):
    h = np.zeros(bins, dtype=np.int64)
    width = (hi - lo) / bins
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < hi:
            k = int((v - lo) / width)
            if k >= bins:
                k = bins - 1
            h[k] += 1
    return h

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 10_000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.standard_normal(n), 64, -3.0, 3.0)


def reference(x, bins, lo, hi):
    """The same bin formula, vectorised (np.histogram rounds at bin edges differently)."""
    width = (hi - lo) / bins
    v = x[(x >= lo) & (x < hi)]
    k = np.minimum(((v - lo) / width).astype(np.int64), bins - 1)
    return np.bincount(k, minlength=bins).astype(np.int64)


TOLERANCE = {"rtol": 0, "atol": 0}
