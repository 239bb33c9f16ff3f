# RUN: %verify-diags %s
# The annotation says int; a float cannot be narrowed implicitly.

# expected-note@+2:7 {{`x` assigned `float` here}}
# expected-note@+1:20 {{the return type `int` is declared here}}
def f(x: float) -> int:
    # expected-error:12 {{expected `int` for the return value, found `float`}}
    return x * 2.0
