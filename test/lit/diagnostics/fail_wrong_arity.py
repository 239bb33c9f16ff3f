# RUN: %verify-diags %s

def g(a: int, b: int) -> int:
    return a + b


def f(x: int) -> int:
    # expected-error:12 {{`g` takes 2 argument(s) but 1 were given}}
    return g(x)
