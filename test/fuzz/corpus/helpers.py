def g(x, n):
    if n <= 0:
        return x
    return g(x * 2, n - 1) + g(x, n - 2)

def f(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s += g(i, 3) // (i + 1) % 7
        i += 1
    return s
