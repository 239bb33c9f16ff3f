# RUN: %verify-diags %s
# Returning the result of a function that returns nothing: the callee's
# error is reported, not an internal compiler error (type inference used to
# leave the caller's return type unknown, and emission then widened it:
# found by the frontend fuzzer).

def f(x: int, y: int):
    return g(b=x, a=y)


def g(a: int, b: int):
    # expected-error:5 {{name `zzz` is not defined}}
    zzz
