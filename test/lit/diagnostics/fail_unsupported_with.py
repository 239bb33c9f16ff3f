# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:5 {{`with` statements are not supported by Kiln yet}}
    with open("x") as fh:
        pass
    return n
