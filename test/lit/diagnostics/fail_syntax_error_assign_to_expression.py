# RUN: %verify-diags %s
# As in CPython, assigning to an operator expression is a syntax error.

def f(x: int) -> int:
    # expected-error:5 {{invalid syntax: cannot assign to expression}}
    x + 1 = 2
    return x
