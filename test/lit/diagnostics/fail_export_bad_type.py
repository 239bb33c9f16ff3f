# RUN: %verify-diags %s
# The column points at the bad type inside the comment.

# expected-error@+1:20 {{unknown type `complex`}}
# kiln export f(int, complex)


def f(x, y):
    return x
