"""NumPy's functions on scalars: NaN and infinities instead of exceptions."""
import numpy as np


def sqrt(x: float) -> float:
    return np.sqrt(x)


def exp(x: float) -> float:
    return np.exp(x)


def log(x: float) -> float:
    return np.log(x)


def log10(x: float) -> float:
    return np.log10(x)


def sin(x: float) -> float:
    return np.sin(x)


def arcsin(x: float) -> float:
    return np.arcsin(x)


def arctan2(y: float, x: float) -> float:
    return np.arctan2(y, x)


def floor(x: float) -> float:
    return np.floor(x)


def ceil(x: float) -> float:
    return np.ceil(x)


def fabs(x: float) -> float:
    return np.fabs(x)


def absolute(x: float) -> float:
    return np.abs(x)


def isnan(x: float) -> bool:
    return np.isnan(x)


def isfinite(x: float) -> bool:
    return np.isfinite(x)


def as_float(n: int) -> float:
    return np.float64(n)


def as_int(x: float) -> int:
    return np.int64(x)
