def bad(n: int) -> int:
    return n +
