"""Native kernels of the `kstats` package: compiled by Kiln into
`kstats/_native.abi3.so` (see setup.py)."""
import math


def mean_of_range(lo: int, hi: int) -> float:
    """Mean of the integers in [lo, hi)."""
    total = 0
    for i in range(lo, hi):
        total += i
    return total / (hi - lo)


def std_of_range(lo: int, hi: int) -> float:
    """Population standard deviation of the integers in [lo, hi)."""
    m = mean_of_range(lo, hi)
    acc = 0.0
    for i in range(lo, hi):
        acc += (i - m) ** 2
    return math.sqrt(acc / (hi - lo))
