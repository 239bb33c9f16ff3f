# RUN: %verify-diags %s
# The annotation says int; a float cannot be narrowed implicitly.

def f(x: float) -> int:
    # expected-error:12 {{expected `int` for the return value, found `float`}}
    return x * 2.0
