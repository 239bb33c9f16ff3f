# RUN: %verify-diags %s
# The only return recurses, so no base case fixes the type. (This once hit
# an assertion, "return type widened during emission".)

# expected-error:5 {{cannot infer the return type of recursive function `loop`: add a base case that returns without recursing first}}
def loop(n):
    return loop(n - 1)


def f(x: int) -> int:
    # expected-note {{in `loop` specialised for (int), called here}}
    return loop(x)
