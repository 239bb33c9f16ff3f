# RUN: %kiln compile %s --emit=llvm -o - | %FileCheck %s
# A function whose work is bounded — no `while`, `for` loops of a constant
# trip count of at most 256 (at most two deep), arrays of a constant size of
# at most 512 elements, no sort, no recursion, calling only such functions —
# is KILN_FUNC_SHORT (flags = 1 in its descriptor): its calls keep the GIL.
# Everything else has flags = 0.
import numpy as np
from kiln.types import float64

# CHECK: @kiln.funcs = private constant [11 x %kiln_func_desc]
# CHECK-SAME: ptr @kiln.entry.ident, ptr @{{[^,]+}}, i32 1,
# CHECK-SAME: ptr @kiln.entry.first, ptr @{{[^,]+}}, i32 1,
# CHECK-SAME: ptr @kiln.entry.looping, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry.fresh, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry.fib, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry._sum_to, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry.via_helper, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry.rhs, ptr @{{[^,]+}}, i32 1,
# CHECK-SAME: ptr @kiln.entry.three, ptr @{{[^,]+}}, i32 1,
# CHECK-SAME: ptr @kiln.entry.big_constant, ptr @{{[^,]+}}, i32 0,
# CHECK-SAME: ptr @kiln.entry.long_constant_loop, ptr @{{[^,]+}}, i32 0,


def ident(x: float) -> float:
    return x


def first(a: float64[:]) -> float:
    return a[0] * 2.0


def looping(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def fresh(n: int):
    return np.zeros(n)


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def _sum_to(n: int) -> int:
    s = 0
    while n > 0:
        s += n
        n -= 1
    return s


def via_helper(n: int) -> int:
    return _sum_to(n) + 1


def rhs(t: float, y: float64[:]):
    return np.array([y[1], -0.5 * y[1] - 4.0 * y[0]])


def three(x: float):
    return np.full(3, x)


def big_constant(x: float):
    return np.full(1000, x)


def long_constant_loop(x: float) -> float:
    s = 0.0
    for i in range(300):
        s += x * i
    return s
