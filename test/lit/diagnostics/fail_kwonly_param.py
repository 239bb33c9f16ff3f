# RUN: %verify-diags %s

# expected-error:18 {{keyword-only parameters are not supported by Kiln yet}}
def f(x: int, *, y: int) -> int:
    return x + y
