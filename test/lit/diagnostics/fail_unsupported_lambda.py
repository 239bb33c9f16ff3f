# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:9 {{lambda expressions are not supported by Kiln yet}}
    g = lambda y: y + 1
    return x
