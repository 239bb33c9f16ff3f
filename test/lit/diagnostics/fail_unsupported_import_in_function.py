# RUN: %verify-diags %s

def f(x: float) -> float:
    # expected-error:5 {{imports inside functions are not supported by Kiln yet}}
    import math
    return x
