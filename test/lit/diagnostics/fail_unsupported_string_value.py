# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:9 {{strings outside `raise` and `assert` are not supported by Kiln yet}}
    s = "text"
    return n
