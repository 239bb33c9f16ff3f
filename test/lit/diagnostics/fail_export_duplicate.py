# RUN: %verify-diags %s

# kiln export f(int)
# expected-error@+1 {{function `f` is exported twice with the same signature}}
# kiln export f(int)


def f(x):
    return x
