"""Geometry kernels, compiled by Kiln into `python/geometry.abi3.so`."""
import math


def hypot(x: float, y: float) -> float:
    return math.sqrt(x * x + y * y)


def circle(r: float, scale: float = 1.0):
    """Circumference and area of a circle of radius r * scale."""
    r = r * scale
    return 2.0 * math.pi * r, math.pi * r * r
