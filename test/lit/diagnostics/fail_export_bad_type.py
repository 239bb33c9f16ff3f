# RUN: %verify-diags %s
# The column points at the bad type inside the comment.

# expected-error@+1:22 {{unknown type `integer`}}
# kiln export f(int, integer)


def f(x, y):
    return x
