"""Pairwise Euclidean distances of an N x 3 point set, written as loops with
explicit indexing (the symmetric half computed, then mirrored)."""
import math

import numpy as np

#pythran export pairwise(float64[:,:])


def pairwise(x):
    n = x.shape[0]
    d = np.empty((n, n))
    for i in range(n):  # prange
        for j in range(n):
            s = 0.0
            for k in range(3):
                t = x[i, k] - x[j, k]
                s += t * t
            d[i, j] = math.sqrt(s)
    return d

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 40, "medium": 800, "large": 3000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random((n, 3)),)


def reference(x):
    return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))


TOLERANCE = {"rtol": 1e-12, "atol": 1e-12}
