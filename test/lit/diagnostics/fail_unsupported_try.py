# RUN: %verify-diags %s
# Exception groups (`except*`) are not supported.

def f(n: int) -> int:
    try:
        n = n // 0
    # expected-error:5 {{`except*` clauses are not supported by Kiln yet}}
    except* ZeroDivisionError:
        n = 0
    return n
