# RUN: %verify-diags %s
# A variable keeps one type; the note points at the first assignment.

def f(x: int) -> int:
    # expected-note:9 {{`y` assigned `int` here}}
    y = x
    # expected-error:9 {{variable `y` is assigned a value of type `tuple[int, int]` here, but it holds `int` elsewhere}}
    y = (x, x)
    return x
