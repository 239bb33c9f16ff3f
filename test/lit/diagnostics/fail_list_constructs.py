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
    # expected-error:13 {{`key=` (functions as values) is not supported by Kiln yet}}
    xs.sort(key=abs)
    # expected-error:5 {{assignment to a slice of a list is not supported by Kiln yet}}
    xs[1:2] = [5]
    return n


def g(n: int) -> float:
    empty = []
    # expected-error:12 {{reading an empty list whose element type Kiln cannot tell (annotate it: `xs: list[float] = []`) is not supported by Kiln yet}}
    return empty[0]
