# RUN: %verify-diags %s

# expected-error@+1 {{malformed export comment: unexpected `int`}}
# kiln export f int


def f(x: int) -> int:
    return x
