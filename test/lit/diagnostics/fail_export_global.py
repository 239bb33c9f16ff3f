# RUN: %verify-diags %s
# `#pythran export NAME` exports a module constant; one whose value is not
# a number, bool or string constant cannot be an attribute yet.

GRID = [1, 2]
# expected-error@+1 {{exporting `GRID`, whose value is not a number, bool or string constant, is not supported by Kiln yet}}
#pythran export GRID, f(int)


def f(x):
    return x
