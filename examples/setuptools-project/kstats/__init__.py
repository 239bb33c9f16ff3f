"""kstats: a pure-Python package around a Kiln-compiled module."""
from kstats._native import mean_of_range, std_of_range

__all__ = ["mean_of_range", "std_of_range", "summary"]


def summary(lo, hi):
    return {"mean": mean_of_range(lo, hi), "std": std_of_range(lo, hi)}
