def f(x: int) -> int:
    return 1.5
    s = 0
    for i in range(x):
        s += i
    return s
