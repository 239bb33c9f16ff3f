# RUN: %verify-diags %s
# The column points at the function name inside the comment.

# expected-error@+1:15 {{export comment names `nosuch`, which is not a top-level function of this file}}
# kiln export nosuch(int)


def f(x: int) -> int:
    return x
