# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# a[i, j] on a 2-D array: one `array.index` per axis (each with its axis,
# wrapping negative indices and checking bounds), then one `array.load` of
# the element with both indices. No view is made.
from kiln.types import float64, int64


# CHECK-LABEL: func @get(%a: array<float64, 2>, %i: int64, %j: int64) -> float64
# CHECK-NOT:   written
def get(a: float64[:, :], i: int, j: int) -> float:
    # CHECK:      %[[A:.+]] = load %a.1 : array<float64, 2>
    # Every index is evaluated before any is checked, as in Python.
    # CHECK-NEXT: %[[I:.+]] = load %i.1 : int64
    # CHECK-NEXT: %[[J:.+]] = load %j.1 : int64
    # CHECK-NEXT: %[[II:.+]] = array.index %[[A]], %[[I]] [axis = 0] : int64
    # CHECK-NEXT: %[[JJ:.+]] = array.index %[[A]], %[[J]] [axis = 1] : int64
    # CHECK-NEXT: %[[X:.+]] = array.load %[[A]], %[[II]], %[[JJ]] : float64
    # CHECK-NEXT: return %[[X]]
    # CHECK-NOT:  array.sub
    return a[i, j]


# a[i, j] += v: the indices are computed once, for the load and the store;
# the sum is float64 and converts back to the int64 element (as NumPy).
# CHECK-LABEL: func @bump(%a: array<int64, 2>, %i: int64, %j: int64, %v: float64) -> none
# CHECK-SAME:  written.0
def bump(a: int64[:, :], i: int, j: int, v: float):
    # CHECK:      %[[II:.+]] = array.index %[[A:[^,]+]], %{{.+}} [axis = 0] : int64
    # CHECK:      %[[JJ:.+]] = array.index %[[A]], %{{.+}} [axis = 1] : int64
    # CHECK-NEXT: %[[X:.+]] = array.load %[[A]], %[[II]], %[[JJ]] : int64
    # CHECK:      %[[XF:.+]] = cast %[[X]] : float64
    # CHECK-NEXT: %[[S:.+]] = add %[[XF]], %{{.+}} : float64
    # CHECK-NEXT: %[[SI:.+]] = cast %[[S]] : int64
    # CHECK-NEXT: array.store %[[SI]], %[[A]], %[[II]], %[[JJ]]
    # CHECK-NOT:  array.index
    # CHECK:      return
    a[i, j] += v
