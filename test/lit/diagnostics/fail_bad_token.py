# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:14 {{invalid character `$` in source}}
    return x $ 2
