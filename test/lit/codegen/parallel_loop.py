# RUN: %kiln compile %s --emit=llvm -O2 -o - | %FileCheck %s
# RUN: %kiln compile %s --emit=llvm -O2 --serial -o - | %FileCheck %s --check-prefix=SERIAL
# An array statement's loop nest runs through kiln_parallel_for: its body is
# outlined into kiln.par.<function>(lo, hi, env), which returns 0, or 1
# after recording an error; the caller fails on a non-zero status. Little
# work (under 2**15 elements) is one chunk: grain = trip; otherwise the
# runtime picks the chunks, of any number of rows (grain -1: the alignment;
# an innermost loop asks for multiples of 256, grain -256).
import numpy as np
from kiln.types import float64


# CHECK-LABEL: define internal {{.*}}i32 @kiln.par.f(i64 %0, i64 %1, ptr {{.*}}%2)
# CHECK:         ret i32
# CHECK:         %par.grain{{.*}} = select i1 %{{.+}}, i64 -1, i64 %{{.+}}
# CHECK:         %par.status{{.*}} = call i32 @kiln_parallel_for(i64 0, i64 %{{.+}}, i64 %par.grain{{.*}}, ptr nonnull @kiln.par.f, ptr nonnull %par.env
# SERIAL-NOT:  kiln_parallel_for
# SERIAL-NOT:  kiln.par.
def f(a: float64[:, :], b: float64[:]):
    return np.sqrt(a * a + b)
