# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# A whole array expression is one loop nest: the result is the only array
# allocated, each operand is read once per element through a broadcast
# view, and the operators run on elements with NumPy's semantics (`numpy`).
# A reduction of an expression allocates nothing at all.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @fused(
# CHECK:       raise {{.*}}fmt = "operands could not be broadcast together with shapes ({},) ({},) "
# CHECK:       %[[OUT:.+]] = array.alloc %{{.+}} : array<float64, 1, C>
# CHECK-NOT:   array.alloc
# CHECK:       for
# CHECK-NOT:   for
# CHECK:         mul %{{.+}}, %{{.+}} [numpy] : float64
# CHECK:         math %{{.+}} [fn = "sin", numpy] : float64
# CHECK:         div %{{.+}}, %{{.+}} [numpy] : float64
# CHECK:         add %{{.+}}, %{{.+}} [numpy] : float64
# CHECK:         array.store %{{.+}}, %[[OUT]], %{{.+}}
# CHECK-NOT:   array.alloc
# CHECK:       return %[[OUT]]
def fused(a: float64[:], b: float64[:], c: float64[:]):
    return a * b + np.sin(c) / 2


# CHECK-LABEL: func @sum_of_squares(
# CHECK-NOT:   array.alloc
# CHECK:       for {{.*}}[{{.*}}parallel, reduction]
# CHECK:         sub %{{.+}}, %{{.+}} [numpy] : float64
# CHECK:         add %{{.+}}, %{{.+}} [numpy, reassociate, reduction] : float64
# CHECK-NOT:   array.alloc
# CHECK:       return
def sum_of_squares(x: float64[:], y: float64[:]) -> float:
    return np.sum((x - y) ** 2)


# Pairwise distances: a 3-D broadcast summed over its last axis is one
# 2-D result and one loop nest of depth 3.
# CHECK-LABEL: func @pairwise(
# CHECK:       array.alloc %{{.+}}, %{{.+}} : array<float64, 2, C>
# CHECK-NOT:   array.alloc
# CHECK:       for
# CHECK:         for
# CHECK:           for
# CHECK:             add %{{.+}}, %{{.+}} [numpy{{.*}}] : float64
# CHECK:           math %{{.+}} [fn = "sqrt", numpy] : float64
# CHECK-NOT:   array.alloc
# CHECK:       return
def pairwise(x: float64[:, :]):
    return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
