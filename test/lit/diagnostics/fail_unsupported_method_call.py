# RUN: %verify-diags %s

def f(n: float) -> bool:
    # expected-error:12 {{method calls are not supported by Kiln yet}}
    return n.is_integer()
