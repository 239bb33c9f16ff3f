# RUN: %verify-diags %s

# expected-error {{`async` functions are not supported by Kiln yet}}
async def f(n: int) -> int:
    return n


def g(n: int) -> int:
    return n
