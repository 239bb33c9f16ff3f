# RUN: %verify-diags %s

def g(a: int, b: int) -> int:
    return a - b


def f(x: int) -> int:
    # expected-error:17 {{`g` got multiple values for argument `a`}}
    return g(x, a=1)
