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


def norm2(a: float64[:]) -> float:
    s = 0.0
    # CHECK: report.py:[[#@LINE+1]]:5: remark: `for` loop in `norm2`: 2 of 2 bounds checks removed; 1 float sum(s) may be reassociated and vectorised; runs on every core as a reduction into 1 accumulator(s): chunks fixed by its length, partials combined in order
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return s


def total2(a: float64[:, :]) -> float:
    s = 0.0
    # CHECK: report.py:[[#@LINE+1]]:5: remark: `for` loop in `total2`: runs on every core as a reduction into 1 accumulator(s)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def scaled(a: float64[:]):
    # CHECK: report.py:[[#@LINE+2]]:16: remark: `for` loop in `scaled`: array statement fused into one loop nest: {{.*}} reduced by `max` as it is computed, no temporary arrays; runs on every core as a reduction into 2 accumulator(s)
    # CHECK: report.py:[[#@LINE+1]]:12: remark: `for` loop in `scaled`: array statement fused into one loop nest: {{.*}}; runs on every core{{$}}
    return a / np.max(a)


def churn(n: int) -> float:
    t = 0.0
    # CHECK: report.py:[[#@LINE+1]]:5: remark: `for` loop in `churn`: {{.*}}arrays freed every iteration
    for i in range(n):
        z = np.zeros(4)
        t += z[0]
    return t
# CHECK-NOT: remark
