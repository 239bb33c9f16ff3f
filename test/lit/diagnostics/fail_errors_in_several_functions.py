# RUN: %verify-diags %s
# Errors in independent functions are all reported, in file order.

def f(x: int) -> int:
    # expected-error:16 {{name `nope` is not defined}}
    return x + nope


def g(x: float) -> float:
    # expected-error:12 {{unsupported operand type for `~`: `float`}}
    return ~x
