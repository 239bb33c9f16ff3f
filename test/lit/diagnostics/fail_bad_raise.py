# RUN: %verify-diags %s

def f(x: int) -> int:
    if x < 0:
        # expected-error:15 {{`raise` needs a built-in exception class such as `ValueError`, found this expression}}
        raise MyError("negative")
    return x
