# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v4 -o - | %FileCheck %s
# A loop walking the first axis of a 2-D array (pos[j, 0] of N x 3 points):
# the row offset j * stride is frozen (codegen/LowerArray.cpp), so LLVM
# does not version the loop on the row stride being 1 (true only of Fortran
# order) and vectorises it with gathers instead of running its scalar copy.
# An offset that does not vary in the loop (a[i, j], i fixed) is not frozen:
# the loop reads a row with vector loads.
import math
from kiln.types import float64


# CHECK-LABEL: define {{.*}}@kiln.entry.accel(
# CHECK:         freeze <{{[0-9]+}} x i64>
# CHECK:         @llvm.masked.gather.v{{[0-9]+}}f64
# CHECK:         fdiv <{{[0-9]+}} x double>
def accel(pos: float64[:, :], xi: float, eps2: float) -> float:
    ax = 0.0
    for j in range(pos.shape[0]):
        dx = pos[j, 0] - xi
        r2 = dx * dx + pos[j, 1] * pos[j, 1] + eps2
        ax += dx / (r2 * math.sqrt(r2))
    return ax


# CHECK-LABEL: define {{.*}}@kiln.entry.row_sum(
# CHECK-NOT:     freeze
# CHECK:         load <{{[0-9]+}} x double>
# CHECK:         ret
def row_sum(a: float64[:, :], i: int) -> float:
    s = 0.0
    for j in range(a.shape[1]):
        s += a[i, j]
    return s
