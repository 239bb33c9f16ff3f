# RUN: %verify-diags %s

def f(n: int) -> bool:
    t = (1, 2)
    # expected-error:12 {{`in` comparisons are not supported by Kiln yet}}
    return n in t
