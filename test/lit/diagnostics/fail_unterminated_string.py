# RUN: %verify-diags %s

def f(x: int) -> int:
    if x < 0:
        # expected-error:26 {{unterminated string literal}}
        raise ValueError("negative)
    return x
