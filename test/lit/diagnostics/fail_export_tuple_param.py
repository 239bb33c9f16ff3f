# RUN: %verify-diags %s

# expected-error:10 {{tuple parameters are not supported by Kiln yet}}
def f(t: tuple[int, int]) -> int:
    return 0
