# RUN: %verify-diags %s
# An operator with no right operand.

def f(x: int) -> int:
    # expected-error:15 {{invalid syntax}}
    return x +
