# RUN: %kiln compile %s --emit=kir -o - | %FileCheck %s
# RUN: %kiln compile %s --emit=llvm -O0 -o - | %FileCheck %s --check-prefix=LLVM
# A reduction along an axis, inside the loop over the other axes, runs over
# that axis once per result. Under 32 elements (the 8 coordinates of a
# point) it is one vector's worth: its loop asks LLVM for one interleaved
# vector (`interleave = 1`) instead of four, which would leave a short axis
# to the scalar remainder loop. The axis length is tested at run time.
import numpy as np
from kiln.types import float64


# CHECK-LABEL: func @row_norms2
# CHECK:         %[[SHORT:[0-9]+]] = cmp %{{[0-9]+}}, %{{[0-9]+}} [pred = "lt"] : bool
# CHECK-NEXT:    if %[[SHORT]] {
# CHECK:           for {{.*}}[interleave = 1] {
# CHECK:         } {
# CHECK-NOT:       interleave
# CHECK:         }
# LLVM: !"llvm.loop.interleave.count", i32 1
def row_norms2(x: float64[:, :]):
    return np.sum(x * x, axis=1)
