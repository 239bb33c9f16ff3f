# RUN: %verify-diags %s
# More indices than axes: NumPy's IndexError wording, at compile time, with
# the extra indices underlined; reads, writes and augmented writes alike.
from kiln.types import float64, int64


def read(a: float64[:]) -> float:
    # expected-error:17 {{too many indices for array: array is 1-dimensional, but 2 were indexed}}
    return a[1, 2]


def write(a: int64[:, :], i: int):
    # expected-error:13 {{too many indices for array: array is 2-dimensional, but 3 were indexed}}
    a[i, i, i] = 0


def aug(a: float64[:]):
    # expected-error:10 {{too many indices for array: array is 1-dimensional, but 2 were indexed}}
    a[0, 0] += 1.0


def row(a: float64[:, :]) -> float:
    r = a[0]
    # expected-error:17 {{too many indices for array: array is 1-dimensional, but 2 were indexed}}
    return r[0, 1]
