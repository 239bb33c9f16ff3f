# RUN: %verify-diags %s

def f(x: float) -> int:
    s = 0
    # expected-error:20 {{`range()` arguments must be `int`, found `float`}}
    for i in range(x):
        s += i
    return s
