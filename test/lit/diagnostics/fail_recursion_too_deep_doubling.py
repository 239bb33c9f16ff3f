# UNSUPPORTED: asan
# RUN: %verify-diags --timeout 5 --memory-mb 2000 %s
# As fail_recursion_too_deep.py, but the argument type doubles in size at
# each call: the specialisation cap must be reached before the types grow
# to 2**32 elements (this once ran out of memory).

# expected-warning:7 {{parameter `x` of `g` has no type annotation, so `g` is not exported}}
def g(x, n: int) -> int:
    if n == 0:
        return 0
    # expected-error:12 {{helper `g` is specialised for too many argument types}}
    return g((x, x), n - 1)


def f(x: int) -> int:
    return g(x, 3)
