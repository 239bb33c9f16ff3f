# RUN: %verify-diags %s

def f(x: int) -> int:
    if x > 0:
    # expected-error {{expected an indented block}}
    return x
