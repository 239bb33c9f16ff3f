# RUN: %kiln compile %s --emit=kir -O2 | %FileCheck %s
# At -O2 the pipeline (canonicalize, inline, canonicalize, dce) inlines the
# small helper, folds the constants it exposes, and drops the helper, which
# no export reaches any more.

def scale(x):
    return x * 2 + 0


def area(w):
    return scale(w) * 3


# CHECK-LABEL: func @f(%n: int64) -> int64
def f(n: int) -> int:
    # CHECK-NOT:  call
    # CHECK-NOT:  add
    # CHECK:      %[[TWO:.+]] = const [value = 2] : int64
    # CHECK:      mul %{{.+}}, %[[TWO]] : int64
    # CHECK:      return
    return area(n) + scale(3)

# The helpers are gone.
# CHECK-NOT: func @
