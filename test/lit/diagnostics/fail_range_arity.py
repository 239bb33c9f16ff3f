# RUN: %verify-diags %s

def f(x: int) -> int:
    s = 0
    # expected-error:14 {{`range` takes 1 to 3 argument(s) but 4 were given}}
    for i in range(0, x, 1, 1):
        s += i
    return s
