# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:16 {{integer literal `9223372036854775808` does not fit in 64 bits}}
    return x + 9223372036854775808
