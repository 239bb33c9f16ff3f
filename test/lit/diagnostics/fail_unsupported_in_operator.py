# RUN: %verify-diags %s
# `in` needs a list or a tuple on its right.

def f(n: int, x: float) -> bool:
    # expected-error:12 {{`in` comparisons are not supported by Kiln yet}}
    return n in x
