# RUN: %verify-diags %s
# The error points at the opening quotes, not at the end of the file.

def f(x: int) -> int:
    # expected-error:5 {{unterminated string literal}}
    """never closed
    return x
