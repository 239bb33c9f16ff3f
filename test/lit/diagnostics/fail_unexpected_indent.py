# RUN: %verify-diags %s

def f(x: int) -> int:
    y = x
    # expected-error {{unexpected indent}}
        return y
