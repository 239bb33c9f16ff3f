# RUN: %verify-diags %s

# expected-error:10 {{unknown type `integer`; expected `int`, `float`, `bool`}}
def f(x: integer) -> int:
    return 1
