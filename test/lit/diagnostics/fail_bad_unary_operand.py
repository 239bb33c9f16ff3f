# RUN: %verify-diags %s

def f(x: float) -> float:
    # expected-error:12 {{unsupported operand type for `~`: `float`}}
    return ~x
