def f(x: complex, y: float) -> complex:
    import cmath
    return cmath.exp(x) * y ** 2 - abs(x) + (1j if y > 0 else -1j)
