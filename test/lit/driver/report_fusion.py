# RUN: %kiln compile %s --report -o %t.abi3.so 2>&1 | %FileCheck %s
# --report says, for each array statement, whether it was fused into one loop
# nest, and if not, why.
import numpy as np
from kiln.types import float64


def step(a: float64[:], b: float64[:], c: float64[:]):
    # CHECK: report_fusion.py:[[@LINE+1]]:12: remark: `for` loop in `step`: array statement fused into one loop nest: 4 element operation(s) over 3 array operand(s), computed into its result, no temporary arrays
    return a * b + np.sin(c) / 2


def softmax(x: float64[:, :]):
    # CHECK: report_fusion.py:[[@LINE+2]]:9: remark: `for` loop in `softmax`: `max` along axis 1 computed into an array first (not fused): the expression that uses it reads each result many times
    # CHECK: report_fusion.py:[[@LINE+1]]:9: remark: `for` loop in `softmax`: array statement fused into one loop nest: 2 element operation(s) over 2 array operand(s), computed into its result, no temporary arrays
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e


def shift(a: float64[:]):
    # CHECK: report_fusion.py:[[@LINE+2]]:5: remark: `for` loop in `shift`: a source may share memory with the target (checked at run time): when it does, the value is computed into a temporary first
    # CHECK: report_fusion.py:[[@LINE+1]]:5: remark: `for` loop in `shift`: array statement fused into one loop nest: 1 element operation(s) over 2 array operand(s), computed straight into the target, no temporary arrays
    a[1:] += a[:-1]


def distances(x: float64[:, :]):
    # CHECK: report_fusion.py:[[@LINE+1]]:12: remark: `for` loop in `distances`: array statement fused into one loop nest: 3 element operation(s) and 1 reduction(s) over 2 array operand(s), computed into its result, no temporary arrays
    return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
