# RUN: %verify-diags %s
# A variable may hold None (the result of a function without `return`),
# but None has no arithmetic, as in Python.

def g(x: int):
    pass


def f(x: int) -> int:
    y = g(x)
    # expected-error@+1 {{unsupported operand types for `+`: `None` and `int`}}
    return y + x


def h(x: float) -> float:
    # expected-note@+1 {{`z` assigned `None` here}}
    z = None
    if x > 0:
        # expected-error@+1 {{variable `z` is assigned a value of type `float` here, but it holds `None` elsewhere}}
        z = 1.0
    return x
