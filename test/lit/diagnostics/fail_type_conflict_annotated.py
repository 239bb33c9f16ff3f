# RUN: %verify-diags %s
# An annotation fixes the variable's type.

def f(x: float) -> float:
    # expected-note {{`y` assigned `int` here}}
    y: int = 0
    # expected-error {{variable `y` is assigned a value of type `float` here, but it holds `int` elsewhere}}
    y: float = x
    return x
