# RUN: %verify-diags %s

def g(x: int):
    pass


def f(x: int) -> int:
    # expected-error:9 {{expected a value, found `None`}}
    y = g(x)
    return x
