"""Jacobi sweeps of the 2-D Laplace equation (5-point stencil, explicit loops, double buffer)."""
import math

import numpy as np

#pythran export jacobi(float64[:,:], int)


def jacobi(u, sweeps):
    n = u.shape[0]
    m = u.shape[1]
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        for i in range(1, n - 1):  # prange
            for j in range(1, m - 1):
                b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        a, b = b, a
    return a

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 32, "medium": 300, "large": 2000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random((n, n)), 10)


def reference(u, sweeps):
    """The same sweeps with slices."""
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        b[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
        a, b = b, a
    return a


TOLERANCE = {"rtol": 1e-12, "atol": 1e-14}
