# RUN: %verify-diags %s

# expected-error@+1:1 {{export of `f` gives 1 parameter type(s), but the function takes 2}}
# kiln export f(int)


def f(x, y):
    return x + y
