# RUN: %verify-diags %s

def f(x: int) -> int:
    if x < 0:
        # expected-error:26 {{exception arguments must be string literals or numbers, found `tuple[int, int]`}}
        raise ValueError((x, x))
    return x
