# RUN: %verify-diags %s
# The only return recurses, so no base case fixes the type.

def loop(n):
    return loop(n - 1)


def f(x: int) -> int:
    # expected-error {{cannot infer the return type of recursive function `loop`}}
    return loop(x)
