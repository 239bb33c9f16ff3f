# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error {{generator expressions are not supported by Kiln yet}}
    return sum(i for i in range(n))
