# RUN: %verify-diags %s

def deco(fn):
    return fn


# expected-error:2 {{decorators are not supported by Kiln yet}}
@deco
def f(n: int) -> int:
    return n
