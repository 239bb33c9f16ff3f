"""Loop-style array kernels with explicit indexing (issue: arrays).

Each is exported for Kiln by its annotations and for Pythran by the export
comments; Numba compiles the same source with @njit.
"""
import math

import numpy as np
from kiln.types import float64, int64

#pythran export pairwise(float64[:,:])
#pythran export jacobi(float64[:,:], int)
#pythran export matmul(float64[:,:], float64[:,:])
#pythran export histogram(float64[:], int, float, float)
#pythran export prefix_sum(float64[:])
#pythran export dot(float64[:], float64[:])


def pairwise(x: float64[:, :]):
    """Euclidean distances between all rows of an N x 3 point set."""
    n = x.shape[0]
    d = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(x.shape[1]):
                t = x[i, k] - x[j, k]
                s += t * t
            d[i, j] = math.sqrt(s)
    return d


def jacobi(u: float64[:, :], sweeps: int):
    """Jacobi sweeps of the 2-D Laplace equation; returns the final grid."""
    n = u.shape[0]
    m = u.shape[1]
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        a, b = b, a
    return a


def matmul(a: float64[:, :], b: float64[:, :]):
    """Naive matrix product in i-k-j order."""
    n = a.shape[0]
    p = a.shape[1]
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for k in range(p):
            aik = a[i, k]
            for j in range(m):
                c[i, j] += aik * b[k, j]
    return c


def histogram(x: float64[:], bins: int, lo: float, hi: float):
    """Counts of x in `bins` equal bins over [lo, hi); values outside are dropped."""
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


def prefix_sum(x: float64[:]):
    """Inclusive prefix sum: a loop-carried dependence that must stay serial."""
    out = np.empty(x.shape[0])
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
        out[i] = s
    return out


def dot(a: float64[:], b: float64[:]) -> float:
    """Sum of products: a reduction that may be reassociated (vectorised)."""
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s
