# RUN: %verify-diags %s

def f(x: int) -> int:
    # expected-error:5 {{`continue` outside a loop}}
    continue
