# RUN: %verify-diags %s
# Mistakes in Pythran's export language, each reported where it is.

# expected-error@+1 {{malformed export comment: a parameter without `?` cannot follow an optional one (`T?`)}}
#pythran export f(int?, float)
# expected-error@+1 {{Pythran's `capsule` exports are not supported by Kiln yet}}
#pythran export capsule g(int)
# expected-error@+1 {{export comment names `nothere`, which is neither a top-level function nor a module constant of this file}}
#pythran export nothere
# expected-error@+2 {{unknown type `flot`}}
#pythran export h(int,
#                 flot)
# expected-error@+1 {{export of `k` gives 1 parameter type(s), but the function takes 2 (an export may leave out only trailing parameters that have defaults)}}
#pythran export k(int)
# expected-error@+1 {{malformed export comment: expected `order(C)` or `order(F)`}}
#pythran export m(float[:, :] order(X))
# expected-error@+1 {{parameters of type None are not supported by Kiln yet}}
#pythran export n(None)


def f(a=1, b=2.0):
    return a


def g(x):
    return x


def h(a, b):
    return a


def k(a, b):
    return a


def m(a):
    return a


def n(a):
    return 1

