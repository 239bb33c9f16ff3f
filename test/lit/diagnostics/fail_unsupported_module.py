# RUN: %verify-diags %s

# expected-error:8 {{module `os` is not supported by Kiln; supported modules: `math`, `numpy`, `kiln`}}
import os


def f(x: int) -> int:
    return x
