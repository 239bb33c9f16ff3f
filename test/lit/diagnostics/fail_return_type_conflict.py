# RUN: %verify-diags %s

def f(x: int):
    if x > 0:
        # expected-note:16 {{returns `tuple[int, int]` here}}
        return (x, x)
    # expected-error:12 {{function `f` returns `int` here but `tuple[int, int]` elsewhere}}
    return x
