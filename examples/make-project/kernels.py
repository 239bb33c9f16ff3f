"""Kernels of the Makefile example: `make` compiles them into kernels.abi3.so."""


def dot_range(n: int) -> int:
    """Sum of i * i for i in range(n)."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def mean3(a: float, b: float, c: float) -> float:
    return (a + b + c) / 3.0
