"""Black-Scholes European call and put prices for arrays of spot, strike and expiry (elementwise exp/log/sqrt, where)."""
import math

import numpy as np

#pythran export black_scholes(float64[:], float64[:], float64[:], float, float)


def cnd(d):
    """Cumulative normal distribution, Abramowitz-Stegun 26.2.17 (|error| < 7.5e-8).
    Neither Numba nor Pythran has an array erf (math.erf is scalar-only)."""
    k = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))))
    tail = 0.3989422804014327 * np.exp(-0.5 * d * d) * poly
    return np.where(d > 0.0, 1.0 - tail, tail)


def black_scholes(S, K, T, r, sigma):
    sqrt_t = np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * sqrt_t)
    d2 = d1 - sigma * sqrt_t
    n1 = cnd(d1)
    n2 = cnd(d2)
    disc = K * np.exp(-r * T)
    call = S * n1 - disc * n2
    put = disc * (1.0 - n2) - S * (1.0 - n1)
    return call, put

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 100_000, "large": 2_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    S = rng.uniform(5.0, 30.0, n)
    K = rng.uniform(1.0, 100.0, n)
    T = rng.uniform(0.25, 10.0, n)
    return (S, K, T, 0.02, 0.30)


TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
