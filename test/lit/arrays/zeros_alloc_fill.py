# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# np.zeros allocates with `array.alloc` (a C-order array) and fills with a
# plain loop nest over the array's own extents, one `for` per axis, storing
# the element type's zero; later passes see ordinary loops.
import numpy as np


# CHECK-LABEL: func @z2(%n: int64, %m: int64) -> array<int64, 2, C>
def z2(n: int, m: int):
    # CHECK:      %[[A:.+]] = array.alloc %{{.+}}, %{{.+}} : array<int64, 2, C>
    # CHECK-NEXT: %[[Z:.+]] = const [value = 0] : int64
    # CHECK-NEXT: %[[N:.+]] = array.dim %[[A]] [axis = 0] : int64
    # CHECK:      for %{{.+}}, %[[N]], %{{.+}} {
    # CHECK-NEXT: ^(%[[I:.+]]: int64):
    # CHECK-NEXT:   %[[M:.+]] = array.dim %[[A]] [axis = 1] : int64
    # CHECK:        for %{{.+}}, %[[M]], %{{.+}} {
    # CHECK-NEXT:   ^(%[[J:.+]]: int64):
    # CHECK-NEXT:     array.store %[[Z]], %[[A]], %[[I]], %[[J]]
    # CHECK-NEXT:   }
    # CHECK-NEXT: }
    # CHECK-NEXT: return %[[A]]
    return np.zeros((n, m), dtype=int)


# CHECK-LABEL: func @z1(%n: int64) -> array<float64, 1, C>
def z1(n: int):
    # CHECK:      %[[A:.+]] = array.alloc %{{.+}} : array<float64, 1, C>
    # CHECK-NEXT: %[[Z:.+]] = const [value = 0.0] : float64
    # CHECK:      for
    # CHECK:        array.store %[[Z]], %[[A]], %{{.+}}
    return np.zeros(n)


# np.empty allocates and stores nothing.
# CHECK-LABEL: func @e(%n: int64) -> array<bool, 1, C>
def e(n: int):
    # CHECK:      array.alloc %{{.+}} : array<bool, 1, C>
    # CHECK-NOT:  array.store
    # CHECK-NOT:  for
    # CHECK:      return
    return np.empty(n, dtype=bool)
