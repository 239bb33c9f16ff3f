def f(x: int) -> int:
    return x  # café in Latin-1
