# RUN: %verify-diags %s

def f(a: int, b: int) -> int:
    # expected-error:12 {{`@` (matrix multiplication) is not supported by Kiln yet}}
    return a @ b
