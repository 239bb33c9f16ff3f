"""Naive matrix product in i-k-j order (triple loop, unit-stride inner loop)."""
import math

import numpy as np

#pythran export matmul(float64[:,:], float64[:,:])


def matmul(a, b):
    n = a.shape[0]
    p = a.shape[1]
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):  # prange
        for k in range(p):
            aik = a[i, k]
            for j in range(m):
                c[i, j] += aik * b[k, j]
    return c

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 24, "medium": 200, "large": 700}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random((n, n)), rng.random((n, n)))


def reference(a, b):
    return a @ b


TOLERANCE = {"rtol": 1e-10, "atol": 1e-12}
