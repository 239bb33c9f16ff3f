# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:9 {{lists are not supported by Kiln yet}}
    a = [n, n]
    return n
