"""itertools.product as grid searches and brute-force enumerations use it."""
import itertools
from itertools import product

import numpy as np


def best_pair(xs: list[float], ys: list[float]) -> tuple[float, float]:
    # The pair minimising a cost over the whole grid, first one on ties.
    best = (0.0, 0.0)
    cost = 1e300
    for x, y in product(xs, ys):
        c = (x - 1.5) ** 2 + (y + 0.5) ** 2
        if c < cost:
            cost = c
            best = (x, y)
    return best


def lattice(n: int) -> list[tuple[int, int, int]]:
    return [p for p in itertools.product(range(n), repeat=3) if sum(p) == n]


def bits(k: int) -> int:
    # (repeat= must be a literal: it decides the tuple's length.)
    total = k
    for word in product((0, 1), repeat=4):
        v = 0
        for b in word:
            v = 2 * v + b
        total += v
    return total


def pairs_above(a: np.ndarray, t: float) -> int:
    return sum(1 for x, y in product(a, a) if x * y > t)
