def f(x: int) -> int:
    # expected-error {name `y` is not defined}
    return x + y
