# RUN: %verify-diags %s

def f(x: int) -> int:
    t = (x, x, x)
    # expected-error {{cannot unpack 3 value(s) into 2 target(s)}}
    a, b = t
    return a
