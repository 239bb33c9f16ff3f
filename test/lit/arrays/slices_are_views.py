# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# Slices, `None` and `.T` are views: an `array.view` of the base with new
# offset, extents and strides; nothing is allocated or copied. A slice whose
# last axis keeps unit steps over a C-order array stays C order.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @interior(%u: array<float64, 2, C>) -> array<float64, 2, C>
# CHECK-NOT:   array.alloc
# CHECK:       array.view %{{.+}} : array<float64, 2, C>
# CHECK-NOT:   array.alloc
# CHECK:       return
def interior(u: "float64[:, ::1]"):
    return u[1:-1, 1:-1]


# CHECK-LABEL: func @every_other(%a: array<float64, 1, C>) -> array<float64, 1>
# CHECK-NOT:   array.alloc
# CHECK:       array.view %{{.+}} : array<float64, 1>
# CHECK:       return
def every_other(a: "float64[::1]"):
    return a[::2]


# CHECK-LABEL: func @column(%a: array<float64, 2>, %j: int64) -> array<float64, 2>
# CHECK:       array.index %{{.+}} [axis = 1] : int64
# CHECK:       array.view %{{.+}} : array<float64, 2>
def column(a: float64[:, :], j: int):
    return a[:, j, None]


# CHECK-LABEL: func @transposed(%a: array<float64, 2>) -> array<float64, 2>
# CHECK:       array.stride %{{.+}} [axis = 1]
# CHECK:       array.stride %{{.+}} [axis = 0]
# CHECK:       array.view
# CHECK-NOT:   array.alloc
def transposed(a: float64[:, :]):
    return a.T


# Assigning to a slice reads the sources through a copy only when the
# memory may overlap (`array.overlaps`), as NumPy guarantees.
# CHECK-LABEL: func @shift_add(%a: array<float64, 1>)
# CHECK:       %[[O:.+]] = array.overlaps
# CHECK:       if %[[O]] {
# CHECK:         array.alloc
# CHECK:       } {
# CHECK-NOT:     array.alloc
# CHECK:       }
def shift_add(a: float64[:]):
    a[1:] += a[:-1]
