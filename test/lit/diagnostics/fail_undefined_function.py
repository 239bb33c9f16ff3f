# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:12 {{name `nosuch` is not defined}}
    return nosuch(x)
