# RUN: %verify-diags %s
# What None cannot do yet, each with its reason.
import numpy as np


# expected-error@+1:19 {{defaults that are lists, dicts, sets or arrays (Python shares one object between calls); use None and create it in the function are not supported by Kiln yet}}
def helper(x, buf=np.zeros(3)):
    return x


def f(x: int, y: float) -> bool:
    a = np.ones(3)
    z = None
    # expected-error@+1 {{expected a number or an array, found `None`}}
    a[:] = z
    helper(x)
    # expected-error@+1 {{`is` between values other than None (compare numbers with `==`) is not supported by Kiln yet}}
    return x is y
