"""One gradient-descent step of logistic regression: sigmoid(X @ w), gradient X.T @ (p - y) / n."""
import math

import numpy as np

#pythran export logreg_grad(float64[:,:], float64[:], float64[:], float)


def logreg_grad(X, y, w, lr):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    grad = X.T @ (p - y) / X.shape[0]
    return w - lr * grad

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 200, "medium": 20_000, "large": 200_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    d = 32
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = (X @ w_true + rng.standard_normal(n) > 0.0).astype(np.float64)
    w = rng.standard_normal(d) * 0.1
    return (X, y, w, 0.5)


TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
