"""Counting with a dict (a histogram of keys), then the most common key: the word-frequency pattern on integers."""

#pythran export dict_count(int64[:])


def dict_count(x):
    counts = {}
    for v in x:
        k = v % 1000
        counts[k] = counts.get(k, 0) + 1
    best = -1
    n = 0
    for k, c in counts.items():
        if c > n:
            best = k
            n = c
    return best * 1000000 + n

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 1_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.integers(0, 1_000_000, n),)


TOLERANCE = {"rtol": 0.0, "atol": 0.0}
