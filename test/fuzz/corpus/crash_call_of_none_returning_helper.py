def f(x: int, y: int):
    return g(b=x, a=y)

def g(a: int, b: int):
    zzz
