# RUN: %verify-diags %s
# `y` is local (it is assigned below) but read before any assignment.

def f(x: int) -> int:
    # expected-error:12 {{local variable `y` may be used before it is assigned}}
    z = y + x
    y = 1
    return z
