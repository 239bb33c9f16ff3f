# RUN: %kiln compile %s --emit=kir -O2 | %FileCheck %s
# A branch on a module constant folds away at -O2, and `7 // 0` is still
# computed at run time (it must raise ZeroDivisionError when it runs).

DEBUG = False


# CHECK-LABEL: func @f(%n: int64) -> int64
def f(n: int) -> int:
    # CHECK-NOT:  ValueError
    # CHECK-NOT:  if
    # CHECK:      cmp %{{.+}}, %{{.+}} [pred = "gt"]
    if DEBUG:
        raise ValueError("debug")
    # CHECK:      %[[Q:.+]] = floordiv %{{.+}}, %{{.+}} : int64
    if n > 100:
        return 7 // 0
    return n
