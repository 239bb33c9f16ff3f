def f(x: int) -> int:
    # expected-error@+2 {{name `y` is not defined}}
    return x + y
