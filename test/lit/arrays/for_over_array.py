# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# `for x in a` is a `for` over range(a.shape[0]) loading a[i] directly: the
# induction variable is in bounds by construction, so there is no
# `array.index` (no bounds check, no negative-index wrap). The array is read
# once, before the loop. Over a 2-D array the loop variable is a row view.
from kiln.types import float64


# CHECK-LABEL: func @total(%a: array<float64, 1>) -> float64
def total(a: float64[:]) -> float:
    s = 0.0
    # CHECK:      %[[A:.+]] = load %a.1 : array<float64, 1>
    # CHECK-NEXT: %[[N:.+]] = array.dim %[[A]] [axis = 0] : int64
    # CHECK:      for %{{.+}}, %[[N]], %{{.+}} {
    # CHECK-NEXT: ^(%[[I:.+]]: int64):
    # CHECK-NEXT:   %[[X:.+]] = array.load %[[A]], %[[I]] : float64
    # CHECK-NEXT:   store %[[X]], %x
    # CHECK-NOT:    array.index
    # CHECK:      }
    for x in a:
        s += x
    return s


# CHECK-LABEL: func @rows(%a: array<float64, 2>) -> float64
def rows(a: float64[:, :]) -> float:
    s = 0.0
    # CHECK:      %[[A:.+]] = load %a.1 : array<float64, 2>
    # CHECK-NEXT: %[[N:.+]] = array.dim %[[A]] [axis = 0] : int64
    # CHECK:      for %{{.+}}, %[[N]], %{{.+}} {
    # CHECK-NEXT: ^(%[[I:.+]]: int64):
    # CHECK-NEXT:   %[[R:.+]] = array.sub %[[A]], %[[I]] : array<float64, 1>
    # CHECK-NOT:    array.index %[[A]]
    for r in a:
        for x in r:
            s += x
    return s


# enumerate: the index is the induction variable itself.
# CHECK-LABEL: func @weighted(%a: array<float64, 1>) -> float64
def weighted(a: float64[:]) -> float:
    s = 0.0
    # CHECK:      for %{{.+}}, %{{.+}}, %{{.+}} {
    # CHECK-NEXT: ^(%[[I:.+]]: int64):
    # CHECK-NEXT:   store %[[I]], %i
    # CHECK-NEXT:   %[[X:.+]] = array.load %{{.+}}, %[[I]] : float64
    # CHECK-NOT:    array.index
    # CHECK:      }
    for i, x in enumerate(a):
        s += i * x
    return s
