# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# A temporary read only by the next statement is substituted into it (rule
# in frontend/ForwardSubstitute.cpp), but not when that statement keeps two
# reads of it as objects: each read would compute the array again, and the
# two results would not share memory as CPython's do.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @same_new_twice(
# CHECK:       %[[X:.+]] = array.alloc
# CHECK-NOT:   array.alloc
# CHECK:       tuple.make %[[X]], %[[X]]
def same_new_twice(a: float64[:]):
    x = a * 2.0
    return x, x


# CHECK-LABEL: func @new_and_its_view(
# CHECK:       array.alloc
# CHECK-NOT:   array.alloc
# CHECK:       return
def new_and_its_view(a: float64[:]):
    x = a * 2.0
    return x, x[1:]


# Reads that are values, not kept objects, still fuse: no array at all.
# CHECK-LABEL: func @squared_norm(
# CHECK-NOT:   array.alloc
# CHECK:       return
def squared_norm(a: float64[:], b: float64[:]) -> float:
    d = a - b
    return np.sum(d * d)


# One kept read beside value reads: substituted (one array, the result).
# CHECK-LABEL: func @kept_once(
# CHECK:       array.alloc
# CHECK-NOT:   array.alloc
# CHECK:       return
def kept_once(a: float64[:]):
    x = a * 2.0
    return x, np.sum(x)


# NumPy's function forms of views keep the array too.
# CHECK-LABEL: func @new_and_its_transpose(
# CHECK:       array.alloc
# CHECK-NOT:   array.alloc
# CHECK:       return
def new_and_its_transpose(a: float64[:, :], b: float64[:, :]):
    d = a - b
    return d, np.transpose(d)
