"""What every example of this folder shares: the NumPy version of the
kernels (to check against) and a starting field."""
import numpy as np


def step_numpy(u, alpha):
    v = u.copy()
    v[1:-1, 1:-1] = u[1:-1, 1:-1] + alpha * (
        u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1])
    return v


def solve_numpy(u0, alpha, steps):
    u = u0.copy()
    for _ in range(steps):
        u = step_numpy(u, alpha)
    return u


def hot_spot(n, seed=0):
    """An n x n field: cold, with a few hot spots."""
    rng = np.random.default_rng(seed)
    u = np.zeros((n, n))
    for i, j in rng.integers(1, n - 1, size=(5, 2)):
        u[i, j] = 100.0
    return u
