"""Quick-start kernels: ordinary Python that `kiln compile` turns native.

Run it as plain Python too: every function works unchanged under CPython.
"""
import math


def collatz_len(n: int) -> int:
    """Length of the Collatz sequence starting at n."""
    steps = 1
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def longest_collatz(limit: int):
    """The start below `limit` with the longest Collatz sequence, and its length."""
    best, best_len = 1, 1
    for start in range(1, limit):
        length = collatz_len(start)
        if length > best_len:
            best, best_len = start, length
    return best, best_len


def integrate_sin(a: float, b: float, n: int) -> float:
    """Midpoint-rule integral of sin(x) * exp(-x / 4) over [a, b]."""
    h = (b - a) / n
    total = 0.0
    for i in range(n):
        x = a + (i + 0.5) * h
        total += math.sin(x) * math.exp(-x / 4)
    return total * h
