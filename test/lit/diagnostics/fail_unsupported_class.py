# RUN: %verify-diags %s

# expected-error {{classes are not supported by Kiln yet}}
class Point:
    pass


def f(x: int) -> int:
    return x
