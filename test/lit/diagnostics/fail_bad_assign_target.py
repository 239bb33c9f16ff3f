# RUN: %verify-diags %s
# A starred target is valid Python but not a target Kiln can assign to.

def f(x: int) -> int:
    # expected-error:9 {{cannot assign to this expression}}
    (a, *b) = (x, x)
    return x
