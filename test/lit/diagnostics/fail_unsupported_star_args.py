# RUN: %verify-diags %s

def g(a: int, b: int) -> int:
    return a + b


def f(n: int) -> int:
    t = (n, n)
    # expected-error:14 {{argument unpacking (`*args`) is not supported by Kiln yet}}
    return g(*t)
