# RUN: %verify-diags %s
# Slices, `...` and `None` in array indices are recognised and reported as
# not supported yet.
from kiln.types import float64


def tail(a: float64[:]):
    # expected-error:14 {{slices, `...` and `None` in array indices are not supported by Kiln yet}}
    return a[1:]


def column(a: float64[:, :], j: int):
    # expected-error:14 {{slices, `...` and `None` in array indices are not supported by Kiln yet}}
    return a[:, j]


def ellipsis(a: float64[:, :]):
    # expected-error:14 {{slices, `...` and `None` in array indices are not supported by Kiln yet}}
    return a[..., 0]


def newaxis(a: float64[:]):
    # expected-error:14 {{slices, `...` and `None` in array indices are not supported by Kiln yet}}
    return a[None]


def store_slice(a: float64[:]):
    # expected-error:7 {{slices, `...` and `None` in array indices are not supported by Kiln yet}}
    a[::2] = 0.0
