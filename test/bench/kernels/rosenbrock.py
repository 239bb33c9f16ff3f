"""The Rosenbrock function of a long vector, written as NumPy code is: named temporaries, then a sum."""
import numpy as np

#pythran export rosenbrock(float64[:])


def rosenbrock(x):
    t0 = 100.0 * (x[1:] - x[:-1] ** 2) ** 2
    t1 = (1.0 - x[:-1]) ** 2
    return np.sum(t0 + t1)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random(n) * 2.0,)


TOLERANCE = {"rtol": 1e-9, "atol": 0.0}
