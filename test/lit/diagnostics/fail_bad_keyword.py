# RUN: %verify-diags %s

def g(a: int, b: int) -> int:
    return a - b


def f(x: int) -> int:
    # expected-error:17 {{`g` got an unexpected keyword argument `c`}}
    return g(x, c=1)
