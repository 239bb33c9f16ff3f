# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# A temporary read by a later statement, not the next one, moves into it
# when the statements between only bind other names to pure array
# expressions (rule 7 in frontend/ForwardSubstitute.cpp): the Rosenbrock
# sum written with named temporaries is one loop nest and no array.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @rosenbrock(
# CHECK-NOT:   array.alloc
# CHECK:       for {{.*}}[{{.*}}reduced by `sum` as it is computed{{.*}}]
# CHECK-NOT:   array.alloc
# CHECK:       return
def rosenbrock(x: float64[:]) -> float:
    t0 = 100.0 * (x[1:] - x[:-1] ** 2) ** 2
    t1 = (1.0 - x[:-1]) ** 2
    return np.sum(t0 + t1)


# Read first by the return, t1's error (it may raise) would come before
# t0's, where CPython raises t0's: t0 is computed where it stands.
# (t1 still moves into the return: two arrays, t0 and the result.)
# CHECK-LABEL: func @read_in_other_order(
# CHECK:       array.alloc
# CHECK:       array.alloc
# CHECK-NOT:   array.alloc
# CHECK:       return
def read_in_other_order(x: float64[:], y: float64[:], z: float64[:]):
    t0 = x + y
    t1 = x + z
    return t1 + t0


# A statement between writes elements: t is computed before it.
# CHECK-LABEL: func @write_between(
# CHECK:       %[[T:.+]] = array.alloc
# CHECK:       array.store
# CHECK:       array.store %{{.+}}, %y
# CHECK:       return
def write_between(x: float64[:], y: float64[:]):
    t = x * 2.0
    y[0] = 1.0
    return t + y
