# RUN: %verify-diags %s

def f(n: int) -> int:
    m = n
    # expected-error:5 {{`del` statements are not supported by Kiln yet}}
    del m
    return n
