# RUN: %verify-diags %s

def f(x: int) -> int:
    if x > 0:
        # expected-error:9 {{`break` outside a loop}}
        break
    return x
