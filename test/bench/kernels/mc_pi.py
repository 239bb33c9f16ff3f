"""Monte-Carlo estimate of pi with Python's random module, seeded in the kernel."""
import random

#pythran export mc_pi(int, int)


def mc_pi(n, seed):
    random.seed(seed)
    hits = 0
    for i in range(n):
        x = random.random()
        y = random.random()
        if x * x + y * y <= 1.0:
            hits += 1
    return 4.0 * hits / n

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 10_000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (n, 12345)


# Numba and Pythran have generators of their own: their streams differ.
TOLERANCE = {"rtol": 0.01, "atol": 0.0}
