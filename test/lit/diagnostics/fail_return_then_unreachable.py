# RUN: %verify-diags %s
# A `return` whose value does not fit still ends its block: the code after
# it is not lowered (it was, after type inference had skipped it, and a
# variable widened during emission: an internal compiler error found by the
# frontend fuzzer).

# expected-note@+1:18 {{the return type `int` is declared here}}
def f(x: int) -> int:
    # expected-error:12 {{expected `int` for the return value, found `float`}}
    return 1.5
    s = 0
    for i in range(x):
        s += i * 0.5
    return s
