# RUN: %verify-diags %s
# What lists and comprehensions do not support yet: each is a clear error at
# its place, and the rest of the function is still checked.
import numpy as np


def f(n: int) -> int:
    # expected-error:9 {{generator expressions outside `sum`, `min`, `max`, `any`, `all`, `sorted`, `list` and `for` are not supported by Kiln yet}}
    g = (i for i in range(n))
    # expected-error:13 {{lists of arrays (use a 2-D array, or np.array(...)) are not supported by Kiln yet}}
    rows = [np.zeros(3) for i in range(n)]
    xs = [1, 2, 3]
    # expected-error:17 {{`key=` other than a one-parameter lambda (`key=lambda t: t[1]`) is not supported by Kiln yet}}
    xs.sort(key=abs)
    # expected-error:5 {{assignment to a slice of a list is not supported by Kiln yet}}
    xs[1:2] = [5]
    return n


def g(n: int) -> float:
    empty = []
    # expected-error:12 {{reading an empty list whose element type Kiln cannot tell (annotate it: `xs: list[float] = []`) is not supported by Kiln yet}}
    return empty[0]


XS = [1, 2]


def h() -> int:
    # expected-error:12 {{module-level lists (use a tuple for constants, or pass the list as an argument) are not supported by Kiln yet}}
    return XS[0]


def chained() -> int:
    b: list[float] = []
    # expected-error:13 {{expected `list[float]` for `b` (a list may be shared, so it is never converted in place; make a new one, e.g. `[float(x) for x in xs]`), found `list[int]`}}
    b = a = [1, 2]
    return len(a)


def nones(n: int) -> int:
    # expected-error:17 {{lists of None are not supported by Kiln yet}}
    return len([None for _ in range(n)])


def keys(xs: list[int]) -> int:
    # expected-error:9 {{lambdas outside `key=` of `sort`, `sorted`, `min` and `max` are not supported by Kiln yet}}
    f = lambda x: x + 1
    # expected-error:24 {{`key=` other than a one-parameter lambda (`key=lambda t: t[1]`) is not supported by Kiln yet}}
    return max(xs, key=abs)
