# RUN: %verify-diags %s

def f(x: int) -> int:
    s = 0
    t = 3.5
    # expected-error:14 {{`for` loops over `t` are not supported by Kiln yet; loop over `range(...)`}}
    for i in t:
        s += i
    return s
