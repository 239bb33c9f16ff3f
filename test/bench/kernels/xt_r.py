"""The gradient step of least squares, X.T @ r, for a tall X: the row loop carries 32 sums."""
import numpy as np

#pythran export xt_r(float64[:,:], float64[:])


def xt_r(X, r):
    return X.T @ r

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 100, "medium": 200_000, "large": 2_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.standard_normal((n, 32)), rng.standard_normal(n))


TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
