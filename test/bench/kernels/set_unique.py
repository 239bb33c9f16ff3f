"""Distinct pairs with a set of tuples: the seen-set pattern of graph and grid searches."""

#pythran export set_unique(int64[:])


def set_unique(x):
    seen = set()
    n = len(x)
    for i in range(n - 1):
        seen.add((x[i] % 100, x[i + 1] % 100))
    return len(seen)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 1_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.integers(0, 1_000_000, n),)


TOLERANCE = {"rtol": 0.0, "atol": 0.0}
