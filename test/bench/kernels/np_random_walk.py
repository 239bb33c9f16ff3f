"""Random walks with NumPy's legacy np.random, seeded in the kernel: the mean final distance."""
import numpy as np

#pythran export np_random_walk(int, int)


def np_random_walk(walkers, steps):
    np.random.seed(7)
    total = 0.0
    for w in range(walkers):
        x = 0.0
        for s in range(steps):
            x += np.random.normal(0.0, 1.0)
        total += abs(x)
    return total / walkers

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 100, "medium": 2_000, "large": 20_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (n, 500)


# Other compilers' streams differ: only the statistics agree.
TOLERANCE = {"rtol": 0.1, "atol": 0.0}
