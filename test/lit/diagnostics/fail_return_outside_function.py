# RUN: %verify-diags %s
# CPython rejects this file when it compiles it (SyntaxError), so it is an
# error, not a "top-level statement" warning.

def f(x: int) -> int:
    return x


# expected-error:1 {{`return` outside a function}}
return 3
