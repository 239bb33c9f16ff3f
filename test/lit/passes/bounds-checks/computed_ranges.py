# RUN: %kiln compile %s --emit=kir -O2 | %FileCheck %s
# A range whose start and step are not constants: its index is in bounds
# when the start is shown >= 0 and the step >= 1 (constants, extents,
# Python int + and * of such, variables only ever given such), and the
# stop is the extent. (test/e2e/test_computed_ranges.py runs these
# functions against CPython.)
import numpy as np


# The sieve: j in range(i * i, n, i), i = 2, 3, ...: in bounds.
# CHECK-LABEL: func @sieve
# CHECK:       array.index %{{[0-9]+}}, %j [axis = 0, in_bounds]
def sieve(n: int) -> int:
    flags = np.full(n, True)
    i = 2
    while i * i < n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    return int(np.sum(flags[2:]))


# The start and step are arguments (the step may be negative): checked.
# CHECK-LABEL: func @any_step
# CHECK:       array.index %{{[0-9]+}}, %j [axis = 0]
# CHECK-NOT:   in_bounds
# CHECK:       return
def any_step(n: int, start: int, s: int) -> int:
    flags = np.full(n, True)
    for j in range(start, n + 3, s):
        flags[j] = False
    return int(np.sum(flags))


# The step variable is once given an argument: checked.
# CHECK-LABEL: func @sometimes_argument
# CHECK:       array.index %{{[0-9]+}}, %j [axis = 0]
# CHECK-NOT:   in_bounds
# CHECK:       return
def sometimes_argument(n: int, s: int) -> int:
    flags = np.full(n, True)
    k = 1
    for r in range(3):
        for j in range(k * k, n, k):
            flags[j] = False
        k = k + 1
        if r == 1:
            k = s
    return int(np.sum(flags))
