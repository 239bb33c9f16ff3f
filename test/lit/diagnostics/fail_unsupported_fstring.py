# RUN: %verify-diags %s
# f-strings work in print() and in raise messages; elsewhere (a string
# value) and with format specs in raise messages, not yet.

def f(n: int) -> int:
    if n < 0:
        # expected-error:26 {{format specs (`{x:.3f}`) in exception messages are not supported by Kiln yet}}
        raise ValueError(f"bad {n:5d}")
    # expected-error:9 {{f-strings outside `print()` and `raise E(...)` messages are not supported by Kiln yet}}
    s = f"n = {n}"
    # expected-error:11 {{the `{x=}` form of f-strings are not supported by Kiln yet}}
    print(f"{n=}")
    return n
