# RUN: %verify-diags %s

def f(n: float) -> bool:
    # expected-error:12 {{methods of `float` are not supported by Kiln yet}}
    return n.is_integer()
