"""The kernels of the parallel-Python guide (docs/parallel-python.md): a
2-D heat-equation solver as a scientist writes it. Compile with

    kiln compile examples/parallel/heat.py -o heat.abi3.so
"""
import numpy as np
from kiln.types import float64


def step(u: float64[:, :], alpha: float):
    """One explicit time step; the boundary stays fixed."""
    v = u.copy()
    v[1:-1, 1:-1] = u[1:-1, 1:-1] + alpha * (
        u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1])
    return v


def solve(u0: float64[:, :], alpha: float, steps: int):
    u = u0.copy()
    for _ in range(steps):
        u = step(u, alpha)
    return u


def energy(u: float64[:, :]) -> float:
    return np.sum(u * u)
