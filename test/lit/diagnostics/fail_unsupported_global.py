# RUN: %verify-diags %s

counter = 0


def f(n: int) -> int:
    # expected-error:5 {{`global` declarations are not supported by Kiln yet}}
    global counter
    return n
