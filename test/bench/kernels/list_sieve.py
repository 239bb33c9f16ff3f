"""A prime sieve on a Python list of bools, then the primes collected by a comprehension."""

#pythran export list_sieve(int)


def list_sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = False
    is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    primes = [k for k in range(n + 1) if is_p[k]]
    return len(primes) + primes[-1]

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 1_000_000, "large": 10_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (n,)


TOLERANCE = {"rtol": 0.0, "atol": 0.0}
