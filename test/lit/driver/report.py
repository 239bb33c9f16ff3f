# RUN: %kiln compile %s --report -o %t.abi3.so 2>&1 | %FileCheck %s
# --report prints one remark per loop that the passes changed, at its line.
import numpy as np
from kiln.types import float64


def dot(a: float64[:], b: float64[:]) -> float:
    s = 0.0
    # CHECK: report.py:[[#@LINE+1]]:5: remark: `for` loop in `dot`: 1 of 2 bounds checks removed (1 reduced to the upper bound); 1 float sum(s) may be reassociated and vectorised
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def churn(n: int) -> float:
    t = 0.0
    # CHECK: report.py:[[#@LINE+1]]:5: remark: `for` loop in `churn`: {{.*}}arrays freed every iteration
    for i in range(n):
        z = np.zeros(4)
        t += z[0]
    return t
# CHECK-NOT: remark
