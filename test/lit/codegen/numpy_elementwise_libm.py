# RUN: %kiln compile %s --emit=llvm -O1 -o - | %FileCheck %s
# NumPy's element-wise functions that need more than one instruction: float32
# nextafter steps in float32 (nextafterf, not a float64 call rounded), ldexp
# clamps its int64 exponent to C's int, and gcd is Euclid's loop on the
# magnitudes, unsigned.
import numpy as np
from kiln.types import float32, int64


def nx(x: float32[:], y: float32[:]):
    return np.nextafter(x, y)
# CHECK-LABEL: define {{.*}}@kiln.par.nx(
# CHECK: call float @nextafterf(float %{{.+}}, float %{{.+}})


def g(a: int64[:], b: int64[:]):
    return np.gcd(a, b)
# CHECK-LABEL: define {{.*}}@kiln.par.g(
# CHECK: gcd.loop:
# CHECK: urem i64
# CHECK: br i1 %{{.+}}, label %gcd.done, label %gcd.loop


def ld(x: float, e: int):
    return np.ldexp(x, e)
# CHECK-LABEL: define {{.*}}@kiln.entry.ld(
# CHECK: call i64 @llvm.smax.i64(i64 %{{.+}}, i64 -2147483648)
# CHECK: call i64 @llvm.smin.i64(i64 %{{.+}}, i64 2147483647)
# CHECK: call double @ldexp(double %{{.+}}, i32 %{{.+}})
