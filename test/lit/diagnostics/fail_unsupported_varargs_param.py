# RUN: %verify-diags %s

# expected-error:15 {{`*args` parameters are not supported by Kiln yet}}
def f(n: int, *rest: int) -> int:
    return n
