# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# A reduction along an axis other than the last accumulates whole rows in
# memory order when the operand's last axis is its contiguous one (the
# strides, known at run time, decide): the result starts at the identity,
# then one loop nest over the operand in its own order combines each element
# into its slot, and a mean is divided out after; the row loop is a
# parallel reduction whose chunks accumulate into private copies of the
# result (passes/Parallelize.cpp). Otherwise (the reduced
# axis is the contiguous one) one result element at a time, as before.
# Along the last axis there is no choice to make.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @col_mean(
# CHECK:       %[[OUT:.+]] = array.alloc %{{.+}} : array<float64, 1, C>
# CHECK:       %[[ROWS:.+]] = cmp %{{.+}}, %{{.+}} [pred = "le"] : bool
# CHECK:       if %[[ROWS]] {
# CHECK:         for {{.*}}[independent, parallel] {
# CHECK:           array.store %{{.+}}, %[[OUT]], %{{.+}}
# CHECK:         for {{.*}}[fusion = "{{.*}}`mean` along axis 0 accumulates whole rows in memory order", parallel, reduction] {
# CHECK:           for
# CHECK:             %[[CUR:.+]] = array.load %[[OUT]], %{{.+}} : float64
# CHECK:             add %[[CUR]], %{{.+}} [numpy, reduction] : float64
# CHECK:         div %{{.+}}, %{{.+}} [numpy] : float64
# CHECK:       } {
# CHECK:         for {{.*}}[fusion = "{{.*}}", independent, parallel] {
# CHECK:           store %{{.+}}, %acc
# CHECK:       return %[[OUT]]
def col_mean(x: float64[:, :]):
    return x.mean(axis=0)


# CHECK-LABEL: func @row_sum(
# CHECK-NOT:   accumulates whole rows
# CHECK:       return
def row_sum(x: float64[:, :]):
    return x.sum(axis=1)
