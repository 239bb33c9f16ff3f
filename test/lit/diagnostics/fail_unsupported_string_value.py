# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:9 {{strings outside `raise`, `assert` and `print` are not supported by Kiln yet}}
    s = "text"
    return n
