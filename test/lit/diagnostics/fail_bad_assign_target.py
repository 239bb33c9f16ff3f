# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:5 {{cannot assign to}}
    x + 1 = 2
    return x
