def f(x: int) -> int:
    # expected-error:13 {{name `y` is not defined}}
    return x + y
