# RUN: %kiln compile %s --emit=kir -O2 | %FileCheck %s
# Ranges that do NOT keep an index in bounds: the check (or the wrap of a
# negative index) must stay. Each of these once survived a mutation of the
# range proof that would have read out of bounds: an off-by-one at either
# end, a dropped positive-step condition, `||` for `&&` in the product rule.
# (test/e2e/test_bounds_negative.py runs them against CPython.)
from kiln.types import float64


# i + 1 reaches n: the upper check stays (the index is still >= 0).
# CHECK-LABEL: func @one_past_end
# CHECK:       array.index %{{.*}} [axis = 0, nonneg]
# CHECK-NOT:   in_bounds
# CHECK:       return
def one_past_end(x: float64[:]) -> float:
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        s += x[i + 1]
    return s


# i - 1 is -1 at i = 0: it wraps to the last element, as in Python.
# CHECK-LABEL: func @one_before_start
# CHECK:       array.index %{{[^ ]+}}, %{{[^ ]+}} [axis = 0] :
# CHECK-NOT:   in_bounds
# CHECK-NOT:   nonneg
# CHECK:       return
def one_before_start(x: float64[:]) -> float:
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        s += x[i - 1] * (i + 1)
    return s


# A negative step counts down from 5, past the end of a short array.
# CHECK-LABEL: func @negative_step
# CHECK-NOT:   in_bounds
# CHECK:       return
def negative_step(x: float64[:]) -> float:
    n = x.shape[0]
    s = 0.0
    for j in range(5, n, -1):
        s += x[j]
    return s


# k * 2 with k = -1: a product of a negative and a positive factor.
# CHECK-LABEL: func @negative_factor
# CHECK:       array.index %{{[^ ]+}}, %{{[^ ]+}} [axis = 0] :
# CHECK-NOT:   in_bounds
# CHECK-NOT:   nonneg
# CHECK:       return
def negative_factor(x: float64[:], reps: int) -> float:
    n = x.shape[0]
    s = 0.0
    k = -1
    for r in range(reps):
        for j in range(k * 2, n):
            s += x[j] * (j + 3)
        k = -1
    return s
