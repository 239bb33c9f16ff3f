# RUN: %kiln compile %s --emit=kir -O2 | %FileCheck %s
# Bounds checks that loop bounds prove are dropped (`in_bounds`); those that
# only have a non-negative index keep the upper check (`nonneg`).
from kiln.types import float64


# i runs over a's extent: the check cannot fail.
# CHECK-LABEL: func @total
# CHECK: array.index %{{.*}} [axis = 0, in_bounds]
def total(a: float64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


# b may be shorter than a: only the lower bound is proven.
# CHECK-LABEL: func @dot
# CHECK: array.index %a{{.*}} [axis = 0, in_bounds]
# CHECK: array.index %b{{.*}} [axis = 0, nonneg]
def dot(a: float64[:], b: float64[:]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


# Offsets within the loop's range: i - 1 >= 0 and i + 1 < n.
# CHECK-LABEL: func @smooth
# CHECK-NOT: array.index {{.*}}[axis = 0]
# CHECK: return
def smooth(a: float64[:], out: float64[:]):
    n = a.shape[0]
    for i in range(1, n - 1):
        out[i] = a[i - 1] + a[i] + a[i + 1]


# Double buffers: `a, b = b, a` over two copies of u. Both variables only
# ever hold arrays with u's extents, so the stencil's checks go too.
# CHECK-LABEL: func @jacobi
# CHECK-NOT: array.index {{.*}}[axis = {{[01]}}]
# CHECK-NOT: array.index {{.*}}nonneg
# CHECK: return
def jacobi(u: float64[:, :], sweeps: int):
    n = u.shape[0]
    m = u.shape[1]
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        a, b = b, a
    return a
