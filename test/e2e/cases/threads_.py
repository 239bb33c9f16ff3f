"""CPU-bound kernels for the thread tests (e2e case)."""


def spin(n: int, seed: float) -> float:
    # a loop-carried floating-point recurrence: no closed form, no vectors
    x = seed
    for i in range(n):
        x = x * 0.999999 + 1e-7 * (i % 7)
        if x > 1e6:
            x = x - 1e6
    return x


def mix(n: int, k: int) -> int:
    h = k
    for i in range(n):
        h = (h * 48271 + i) % 2147483647
    return h


def checked(n: int) -> int:
    if n % 2 == 1:
        raise ValueError("odd", n)
    return n // 2
