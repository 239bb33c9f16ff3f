# RUN: %verify-diags %s
# Importing a module Kiln does not know costs nothing until compiled code
# uses it; then the error is at the use.
import os
import scipy.special as sp
from collections import deque
from .sibling import helper


def f(x: int) -> int:
    return x


def g(x: int) -> int:
    # expected-error:12 {{module `os` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
    return os.getpid() + x


def h(x: float) -> float:
    # expected-error:12 {{module `scipy.special` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
    return sp.gamma(x)


def k(x: int) -> int:
    # expected-error:9 {{module `collections` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
    d = deque()
    # expected-error:12 {{module `.sibling` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
    return helper(x)
