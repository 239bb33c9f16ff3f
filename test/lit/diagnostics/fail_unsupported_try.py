# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:5 {{`try` statements are not supported by Kiln yet}}
    try:
        n = n // 0
    except ZeroDivisionError:
        n = 0
    return n
