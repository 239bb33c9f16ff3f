# RUN: %verify-diags %s

def f(x: int) -> int:
    t = (x, x)
    # expected-error:14 {{tuple index must be an integer constant between -2 and 1}}
    return t[2]
