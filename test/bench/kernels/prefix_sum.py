"""Inclusive prefix sum: a loop-carried dependence that must stay serial."""
import math

import numpy as np

#pythran export prefix_sum(float64[:])


def prefix_sum(x):
    out = np.empty(x.shape[0])
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
        out[i] = s
    return out

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 10_000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random(n),)


def reference(x):
    return np.cumsum(x)


TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
