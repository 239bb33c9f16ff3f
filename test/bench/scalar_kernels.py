"""Scalar kernels for the foundation benchmarks: integers, floats, calls.

Each function is exported for Kiln by its annotations and for Pythran by
the export comments; Numba compiles the same source with @njit.
"""
import math

#pythran export collatz_max(int)
#pythran export sieve_count(int)
#pythran export integrate(float, float, int)
#pythran export monte_carlo_pi(int, int)
#pythran export fib(int)


def collatz_len(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz_max(limit: int) -> int:
    """Longest Collatz sequence length for starts below limit."""
    best = 0
    for s in range(1, limit):
        c = collatz_len(s)
        if c > best:
            best = c
    return best


def sieve_count(n: int) -> int:
    """Number of primes below n by trial division up to sqrt (no arrays yet)."""
    count = 0
    for k in range(2, n):
        is_prime = True
        d = 2
        while d * d <= k:
            if k % d == 0:
                is_prime = False
                break
            d += 1
        if is_prime:
            count += 1
    return count


def integrate(a: float, b: float, n: int) -> float:
    """Midpoint rule for the integral of sin(x) * exp(-x/4) on [a, b]."""
    h = (b - a) / n
    total = 0.0
    for i in range(n):
        x = a + (i + 0.5) * h
        total += math.sin(x) * math.exp(-x / 4.0)
    return total * h


def monte_carlo_pi(samples: int, seed: int) -> float:
    """Estimates pi with a hand-written 31-bit LCG (fits int64 exactly)."""
    state = seed
    inside = 0
    for i in range(samples):
        state = (state * 1103515245 + 12345) % 2147483648
        x = state / 2147483648.0
        state = (state * 1103515245 + 12345) % 2147483648
        y = state / 2147483648.0
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / samples


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
