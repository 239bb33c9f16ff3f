"""print() as programs use it: progress lines, tables of results, arrays,
containers, separators, and output interleaved with the caller's."""
import numpy as np


def report(n: int, tol: float) -> int:
    print("solving with n =", n, "tol =", tol)
    x = np.linspace(0.0, 1.0, n)
    err = 1.0
    it = 0
    while err > tol:
        err = err / 10
        it += 1
        print("iteration", it, "error", err)
    print("solution:", x)
    print("grid", x.reshape(1, n), sep="\n")
    return it


def containers(k: int) -> int:
    xs = [i * i for i in range(k)]
    d = {i: i / 2 for i in range(k)}
    print(xs, d, {k}, (k, -k, 0.5), None, True, 3 + 4j)
    print(np.int32(k), np.float32(0.1), np.uint8(200))
    for i in range(k):
        print(i, end=",")
    print(end="\n")
    print("a", "b", "c", sep="")
    print("unicode: ünï €", sep="", end="", flush=True)
    print()
    return k


def views(a: np.ndarray) -> float:
    print(a[::2], a[::-1], a.T if a.ndim > 1 else a)
    return a.sum()


def fstrings(n: int, x: float) -> int:
    # f-strings are formatted by Python's str.format: the same text.
    print(f"n = {n}, x = {x:.3f}, {n!r} {x:>10.2e}|{x:,.2f}")
    print(f"{{braces}} {n * 2 + 1} " f"and {x}", "plain", sep=";")
    a = np.arange(3.0)
    print(f"array {a} sum={a.sum():.1f} {a[1:]!s}")
    print(f"ünï {n:05d} {x:%} {n:x} {n:b} {True} {None}")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n} (x={x!r})")
    return n


def tricky(n: int) -> int:
    # None fields, tuples holding arrays, control characters in templates.
    a = np.arange(3.0)
    print(f"{None!r} {None} x\x1f{n}y\x1e", (a, n), [n, n])
    return n


def print_error_is_catchable(n: int) -> int:
    try:
        print("hello", n)
    except ValueError:
        return -1
    return n
