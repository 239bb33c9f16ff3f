# RUN: %verify-diags %s
# A bracket that never closes: the error is at the end of the file, not at
# the start of the next statement.

def f(x: int) -> int:
    # expected-error {{invalid syntax: `(` was never closed}}
    return (x + 1
