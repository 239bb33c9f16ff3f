# RUN: %verify-diags %s
# Each recursive call needs a new specialisation (the tuple nests one level
# deeper), so the helper would be specialised without end.

# expected-warning:7 {{parameter `x` of `g` has no type annotation, so `g` is not exported}}
def g(x, n: int) -> int:
    if n == 0:
        return 0
    # expected-error:12 {{helper `g` is specialised for too many argument types}}
    return g((x, 1), n - 1)


def f(x: int) -> int:
    return g(x, 3)
