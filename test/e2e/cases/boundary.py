"""Functions exercised at the call boundary: argument conversion, arity,
keywords, overflow, NumPy scalars (e2e case)."""


def add(a: int, b: int):
    return a + b


def fadd(x: float, y: float):
    return x + y


def flag(p: bool):
    return not p


def three(a: int, x: float, p: bool):
    return (a, x, p)


def many(a: int, b: int, c: int, d: int, e: int, f: int, g: int, h: int):
    return a - b + c - d + e - f + g - h


def noargs() -> int:
    return 42


def identity_i(a: int):
    return a


def identity_f(x: float):
    return x


def fails(a: int):
    if a > 0:
        raise ValueError("failed", a)
    return a


# kiln export ov(int, int)
# kiln export ov(float, float)
def ov(a, b):
    if a < 0:
        raise RuntimeError("negative", a)
    return a // b
