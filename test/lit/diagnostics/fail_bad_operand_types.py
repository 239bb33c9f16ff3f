# RUN: %verify-diags %s

def f(x: int) -> int:
    t = (x, x)
    # expected-error:12 {{unsupported operand types for `-`: `tuple[int, int]` and `int`}}
    return t - x
