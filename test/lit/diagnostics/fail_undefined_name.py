# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:16 {{name `y` is not defined}}
    return x + y
