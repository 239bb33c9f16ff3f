# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error {{`yield` expressions are not supported by Kiln yet}}
    yield n
