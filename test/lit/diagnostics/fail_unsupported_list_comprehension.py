# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:10 {{list comprehensions are not supported by Kiln yet}}
    xs = [i * i for i in range(n)]
    return n
