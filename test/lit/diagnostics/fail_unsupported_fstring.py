# RUN: %verify-diags %s

def f(n: int) -> int:
    if n < 0:
        # expected-error:26 {{f-strings are not supported by Kiln yet}}
        raise ValueError(f"bad {n}")
    return n
