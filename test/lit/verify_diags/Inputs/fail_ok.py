# A comment and a blank line between the expectation and the code are skipped.
def f(x: int) -> int:
    # expected-error:16 {{name `y` is not defined}}

    # (not the target)
    return x + y
