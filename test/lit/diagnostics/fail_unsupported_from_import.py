# RUN: %verify-diags %s

# expected-error:1 {{module `collections` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
from collections import deque


def f(x: int) -> int:
    return x
