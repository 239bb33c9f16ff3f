"""Running statistics on a Python list built from an array: append, sort, comprehension, sum."""

#pythran export list_median(float64[:])


def list_median(x):
    xs = []
    for v in x:
        if v > 0.1:
            xs.append(v * 2.0)
    xs.sort()
    m = xs[len(xs) // 2]
    dev = [abs(v - m) for v in xs]
    return m + sum(dev) / len(dev)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 1_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (rng.random(n),)


TOLERANCE = {"rtol": 1e-12, "atol": 0.0}
