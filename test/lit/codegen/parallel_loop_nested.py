# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck %s
# RUN: %kiln compile %s -o %t.abi3.so 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
# A parallel loop inside an ordinary loop (the row loop of `x.T @ v`, run
# once per column) checks its work on each entry: enough work goes through
# kiln_parallel_for; little work runs an inline copy of the loop, with no
# call, which LLVM vectorises (the <N x double> fmul/fadd of the copy).
# The copy carries no forced vectorisation hint, so LLVM stays quiet where
# it cannot vectorise it.
# QUIET-NOT: warning
import numpy as np
from kiln.types import float64


# CHECK-LABEL: define {{.*}}@kiln.entry.mtv(
# CHECK:         br i1 %{{.+}}, label %par.call{{.*}}, label %par.serial
# CHECK:       par.serial{{.*}}:
# CHECK:         fmul {{.*}}<{{[0-9]+}} x double>
# CHECK:       par.call{{.*}}:
# CHECK-NEXT:    %par.status{{.*}} = call i32 @kiln_parallel_for(i64 0, i64 %{{.+}}, i64 -256,
def mtv(x: float64[:, :], v: float64[:]):
    return x.T @ v


# The statement's loop nest, nested in the coefficient loop, is copied for
# operands that broadcast; LLVM cannot vectorise every copy, and must not
# say so on every compile.
def horner(c: float64[:], x: float64[:]):
    y = np.full_like(x, c[0])
    for i in range(1, c.shape[0]):
        y = y * x + c[i]
    return y
