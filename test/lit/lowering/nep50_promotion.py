# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# NumPy 2's promotion in the IR: a Python int or float takes the type of a
# sized operand (int8 + 1 stays int8, with NumPy's overflow check of the
# Python int), two sized types promote as np.promote_types (int8 + uint8 ->
# int16), and arithmetic on them carries `numpy` (wraps, never raises).
import numpy as np
from kiln.types import int8, uint8, float32


# CHECK-LABEL: func @weak(%a: int8, %n: int64, %x: float32) -> tuple<int8, float32, float64>
def weak(a: int8, n: int, x: float32):
    # CHECK: fmt = "Python integer {} out of bounds for int8"
    # CHECK: %[[N8:.+]] = cast %{{.+}} : int8
    # CHECK: add %{{.+}}, %[[N8]] [numpy] : int8
    # CHECK: mul %{{.+}}, %{{.+}} [numpy] : float32
    # CHECK: cast %{{.+}} : float64
    return a + n, x * 2.5, a * 0.5


# CHECK-LABEL: func @strong(%a: int8, %b: uint8) -> int16
def strong(a: int8, b: uint8):
    # CHECK: %[[A:.+]] = cast %{{.+}} : int16
    # CHECK: %[[B:.+]] = cast %{{.+}} : int16
    # CHECK: add %[[A]], %[[B]] [numpy] : int16
    return a + b
