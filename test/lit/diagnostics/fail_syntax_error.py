# RUN: %verify-diags %s
# An operator with no right operand.

def f(x: int) -> int:
    # expected-error:15 {{invalid syntax: unexpected end of line}}
    return x +
