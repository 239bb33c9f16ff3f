"""Calls between module functions: recursion, mutual recursion, unannotated
helpers specialised per call site, keyword arguments, literal defaults, tuple
returns, unpacking and swapping (e2e differential case)."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_iter(n: int):
    a, b = 0, 1
    for i in range(n):
        a, b = b, a + b
    return a


def ackermann(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


def fact(n: int) -> int:
    return 1 if n <= 1 else n * fact(n - 1)


def gcd(a: int, b: int):
    while b:
        a, b = b, a % b
    return a


def gcd_rec(a: int, b: int) -> int:
    if b == 0:
        return a
    return gcd_rec(b, a % b)


# ---- unannotated helpers: specialised for each call site's types

def square(x):
    return x * x


def scale(x, k=2):
    return x * k


def clamp(x, lo=0, hi=10):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def half(x):
    return x / 2


def use_square(a: int, b: float):
    return (square(a), square(b), square(a) + square(b))


def use_scale(a: int, b: float):
    return (scale(a), scale(b), scale(a, 3), scale(b, k=0.5), scale(k=4, x=a))


def use_clamp(x: int):
    return (clamp(x), clamp(x, -5), clamp(x, hi=3), clamp(x, lo=2, hi=4), clamp(hi=100, x=x))


def use_half(a: int, b: float):
    return (half(a), half(b))


def defaults(a: int, b: int = 10, c: float = 0.5, d: bool = True):
    return (a, b, c, d)


def call_defaults(a: int):
    return (defaults(a), defaults(a, 1), defaults(a, c=2.0), defaults(d=False, a=a, b=-1))


def kw_only_order(x: int, y: int):
    return sub(b=x, a=y)


def sub(a: int, b: int):
    return a - b


# ---- tuples

def divmod_pair(a: int, b: int):
    return a // b, a % b


def minmax(a: float, b: float):
    if a < b:
        return a, b
    return b, a


def nested_tuple(x: int):
    return (x, (x * 2, float(x)), x > 0)


def use_tuple(a: int, b: int):
    q, r = divmod_pair(a, b)
    return q * b + r


def swap(a: int, b: int):
    x = a
    y = b
    y, x = x, y
    return (x, y)


def swap_f(a: float, b: float):
    a, b = b, a
    return (a, b)


def rotate(a: int, b: int, c: int):
    a, b, c = b, c, a
    return (a, b, c)


def tuple_index(a: int, b: int):
    t = divmod_pair(a, b)
    return t[0] - t[1] + t[-1]


def unpack_nested(x: int):
    a, (b, c), d = nested_tuple(x)
    return a + b + c + d


def accumulate_pairs(n: int):
    s, p = 0, 1
    for i in range(1, n + 1):
        s, p = s + i, (p * i) % 1000003
    return s, p


def tuple_of_calls(n: int):
    return (fib(n), fact(n % 15), gcd(n, 36), is_even(n))


def helper_chain(x):
    return square(x) + 1


def deep_helpers(a: int, b: float):
    return helper_chain(a) + helper_chain(b)


def recursive_sum(n: int) -> float:
    if n == 0:
        return 0.0
    return 1.0 / n + recursive_sum(n - 1)
