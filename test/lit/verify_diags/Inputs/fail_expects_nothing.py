# verify-diags: no-diagnostics
def f(x: int) -> int:
    return x
