# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# Module constants whose value is known exactly become module attributes
# (`global` lines), in the order of their last binding, computed as Python
# runs the module (DX uses the first N); computed values that are not
# certain (int overflow, float `%`, arrays) do not. Functions use the same
# values.
import math
import numpy as np

N = 64
DX = 1.0 / N
TWO_PI = 2 * math.pi
LABEL = "grid"
N = 128
BIG = 3 ** 39
HUGE = 3 ** 40
FMOD = 5.5 % 2.0
GRID = np.zeros(3)


def f(x: float) -> float:
    return x * DX

# CHECK:      global "DX" = 0.015625
# CHECK-NEXT: global "TWO_PI" = 6.2831853071795{{[0-9]+}}
# CHECK-NEXT: global "LABEL" = "grid"
# CHECK-NEXT: global "N" = 128
# CHECK-NEXT: global "BIG" = 4052555153018976267
# CHECK-NOT:  global
# CHECK:      func @f
# CHECK:      const [value = 0.015625]
