# RUN: %kiln compile %s --emit=kir -o - | %FileCheck %s
# Operands whose extents are not provably the loop's may broadcast (a
# length-1 axis is read with stride 0). The loop nest is emitted twice under
# a run-time test: when every extent equals the loop's, the operands are
# read as they are (a C-order operand keeps its unit stride, so LLVM needs
# no gathers); otherwise through broadcast views.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @add
# CHECK:         array.alloc
# CHECK:         %[[EQ:[0-9]+]] = bitand %{{[0-9]+}}, %{{[0-9]+}} : bool
# CHECK-NEXT:    if %[[EQ]] {
# CHECK:           for
# CHECK-NEXT:      ^(
# CHECK-NEXT:        array.load %a, %{{.+}} : float64
# CHECK-NEXT:        array.load %b, %{{.+}} : float64
# CHECK:         } {
# CHECK:           select
# CHECK:           array.view %a
# CHECK:           for
def add(a: float64[::1], b: float64[::1]):
    return a + b


# One operand, or operands of the same array: nothing to test, one loop.
# CHECK-LABEL: func @square
# CHECK-NOT:     if
# CHECK-NOT:     select
# CHECK:         for
# CHECK-NOT:     if
# CHECK:         return
def square(a: float64[:]):
    return a * a + 1.0
