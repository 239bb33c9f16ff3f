# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:9 {{assignment expressions (`:=`) are not supported by Kiln yet}}
    if (m := n + 1) > 2:
        return n
    return n
