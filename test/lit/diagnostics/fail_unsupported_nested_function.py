# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:5 {{nested functions are not supported by Kiln yet}}
    def g(x: int) -> int:
        return x
    return n
