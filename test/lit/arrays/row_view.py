# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# a[i] of a 2-D array is a view: one `array.index` on axis 0 and an
# `array.sub` giving a 1-D array (C order kept for a C-order array, not
# invented for any strides); no element is loaded.
from kiln.types import float64


# CHECK-LABEL: func @row(%a: array<float64, 2>, %i: int64) -> array<float64, 1>
def row(a: float64[:, :], i: int):
    # CHECK:      %[[A:.+]] = load %a.1 : array<float64, 2>
    # CHECK-NEXT: %[[I:.+]] = load %i.1 : int64
    # CHECK-NEXT: %[[II:.+]] = array.index %[[A]], %[[I]] [axis = 0] : int64
    # CHECK-NEXT: %[[R:.+]] = array.sub %[[A]], %[[II]] : array<float64, 1>
    # CHECK-NEXT: return %[[R]]
    return a[i]


# CHECK-LABEL: func @crow(%a: array<float64, 2, C>, %i: int64) -> array<float64, 1, C>
def crow(a: "float64[:, ::1]", i: int):
    # CHECK:      array.sub %{{.+}}, %{{.+}} : array<float64, 1, C>
    # CHECK-NOT:  array.load
    # CHECK:      return
    return a[i]


# A row of a 3-D array is 2-D; two indices give a 1-D view.
# CHECK-LABEL: func @plane(%a: array<float64, 3>, %i: int64, %j: int64) -> tuple<array<float64, 2>, array<float64, 1>>
def plane(a: float64[:, :, :], i: int, j: int):
    # CHECK:      array.sub %{{[^,]+}}, %{{[^,]+}} : array<float64, 2>
    # CHECK:      %[[I:.+]] = array.index %{{.+}} [axis = 0] : int64
    # CHECK:      %[[J:.+]] = array.index %{{.+}} [axis = 1] : int64
    # CHECK-NEXT: array.sub %{{[^,]+}}, %[[I]], %[[J]] : array<float64, 1>
    return a[i], a[i, j]
