"""Sieve of Eratosthenes: number of primes below n (bool array, strided marking, counting reduction)."""
import math

import numpy as np

#pythran export sieve(int)


def sieve(n):
    flags = np.full(n, True)  # np.bool_ is unknown to Pythran 0.11, dtype=bool to Numba 0.56
    i = 2
    while i * i < n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    count = 0
    for k in range(2, n):  # prange reduction(+:count)
        if flags[k]:
            count += 1
    return count

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 10_000, "medium": 1_000_000, "large": 40_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    return (n,)


def reference(n):
    """The same sieve with slice assignment."""
    flags = np.ones(n, dtype=bool)
    flags[:2] = False
    i = 2
    while i * i < n:
        if flags[i]:
            flags[i * i::i] = False
        i += 1
    return int(np.count_nonzero(flags))


TOLERANCE = {"rtol": 0, "atol": 0}
