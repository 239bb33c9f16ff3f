# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:12 {{`x` is not a function that Kiln can call}}
    return x(1)
