# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck %s
# A parallel loop inside an ordinary loop (the row loop of `x.T @ v`, run
# once per column) checks its work on each entry: enough work goes through
# kiln_parallel_for; little work runs an inline copy of the loop, with no
# call, which LLVM vectorises (the <N x double> fmul/fadd of the copy).
import numpy as np
from kiln.types import float64


# CHECK-LABEL: define {{.*}}@kiln.entry.mtv(
# CHECK:         br i1 %{{.+}}, label %par.call{{.*}}, label %par.serial
# CHECK:       par.serial{{.*}}:
# CHECK:         fmul {{.*}}<{{[0-9]+}} x double>
# CHECK:       par.call{{.*}}:
# CHECK-NEXT:    %par.status{{.*}} = call i32 @kiln_parallel_for(i64 0, i64 %{{.+}}, i64 0,
def mtv(x: float64[:, :], v: float64[:]):
    return x.T @ v
