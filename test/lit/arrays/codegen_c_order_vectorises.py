# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck %s --check-prefixes=CHECK,CHECKED
# RUN: %kiln compile %s --unchecked --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck %s --check-prefixes=CHECK,UNCHECKED
# An element-wise loop over C-order (`::1`) arrays: the last stride is the
# constant 1, so at -O2 on x86-64-v3 the loop vectorises into <4 x double>
# loads, multiplies and stores. (A float sum is not used here: without
# reassociation, float reductions are not vectorised.)
#
# Bounds checks are on by default: `out[i]` may be out of range (out can be
# shorter than a), so the raise path (kiln_raise_index) stays, off the
# vector loop. With --unchecked there is no raise path at all.
from kiln.types import float64


# UNCHECKED-NOT: kiln_raise_index
# CHECK-LABEL:   define internal {{.*}}i32 @kiln.entry.double_into(
# CHECK:         vector.body:
# CHECK:           load <4 x double>
# CHECK:           fmul <4 x double> %{{.+}}, <double 2.000000e+00,
# CHECK:           store <4 x double>
# CHECKED:       call void @kiln_raise_index(i64 %{{.+}}, i64 0, i64 %{{.+}})
# UNCHECKED-NOT: kiln_raise_index
# CHECK:         ret i32
# CHECK-NEXT:    }
# UNCHECKED-NOT: kiln_raise_index
def double_into(out: "float64[::1]", a: "float64[::1]"):
    for i in range(len(a)):
        out[i] = a[i] * 2.0
