"""Cosine similarities between the rows of X (n x d) and Y (m x d): row norms, matrix product, outer product."""
import math

import numpy as np

#pythran export cosine_similarity(float64[:,:], float64[:,:])


def cosine_similarity(X, Y):
    nx = np.sqrt(np.sum(X * X, axis=1))
    ny = np.sqrt(np.sum(Y * Y, axis=1))
    # np.outer, not nx[:, None] * ny[None, :]: Numba 0.56 rejects None in an
    # index, and its parallel=True mis-checks shapes broadcast from reshape().
    return (X @ Y.T) / np.outer(nx, ny)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 32, "medium": 400, "large": 2000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.standard_normal((n, 64)), rng.standard_normal((n + n // 2, 64)))


TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
