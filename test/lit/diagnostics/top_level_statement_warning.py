# RUN: %verify-diags %s
# Only a warning: the file still compiles, and the module is written.

def f(x: int) -> int:
    return x


# expected-warning:1 {{top-level statement is not compiled: it runs only when the file is used as plain Python}}
print(f(2))
