# RUN: %verify-diags %s
# A type error says where each type came from (RELIABILITY.md row 24): the
# variables of the offending expression and the declared return type.

def f(x: int) -> int:
    # expected-note:9 {{`y` assigned `float` here}}
    y = 1.5
    y = y * 2
    # expected-error:12 {{expected `int` for the return value, found `float`}}
    return y
# expected-note@-6:18 {{the return type `int` is declared here}}


# expected-note@+2:24 {{`k` assigned `int` here}}
# expected-note@+1:35 {{the return type `int` is declared here}}
def h(a: "float64[:]", k: int) -> int:
    # expected-note:9 {{`m` assigned `ndarray[bool, ndim=1, C order]` here}}
    m = a > 0
    m = m & (a < 1)
    # expected-error:12 {{expected `int` for the return value, found `ndarray[int64, ndim=1, C order]`}}
    return k + m


# expected-note:5 {{`range` defined here shadows the built-in `range`}}
def range(n):
    return n


def r(n: int) -> int:
    s = 0
    # expected-error:14 {{`for` loops over the result of `range(...)`, a call of this module's own `range`, are not supported by Kiln yet}}
    for i in range(n):
        s += i
    return s
