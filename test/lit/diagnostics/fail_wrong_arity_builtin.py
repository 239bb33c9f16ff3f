# RUN: %verify-diags %s

def f(x: float) -> float:
    # expected-error {{`abs` takes 1 argument(s) but 2 were given}}
    return abs(x, x)
