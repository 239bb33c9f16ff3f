# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck %s
# A loop whose checks are deferred (passes/DeferChecks.cpp): a guard tests
# the shifted index y[i + 3] at the first and last iteration; the fast copy
# gathers the zero-divisor check in a flag and vectorises (no call to a
# raise function in it); when the flag is set, the checked copy runs from
# the saved sum and raises where Python does.
import math
from kiln.types import float64


# CHECK-LABEL: define {{.*}}@kiln.entry.ratio_sum(
# CHECK:         br i1 %{{[^,]+}}, label %deferred.{{fast|checked}}{{.*}}, label %deferred.{{fast|checked}}
# CHECK:       deferred.fast{{.*}}:
# CHECK-NOT:     call {{.*}}@kiln_raise
# CHECK:         fdiv {{.*}}<4 x double>
# CHECK-NOT:     call {{.*}}@kiln_raise
# CHECK:       deferred.checked{{.*}}:
# CHECK:         @kiln_raise_msg
def ratio_sum(x: float64[:], y: float64[:]) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] / y[i + 3]
    return s
