# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `for`/`while` keep their `else` blocks apart from the loop body.

def f(n: int) -> int:
    s = 0
    # CHECK-LABEL: For
    # CHECK-NEXT:    target: Name i
    # CHECK-NEXT:    iter: Call
    # CHECK-NEXT:      func: Name range
    # CHECK-NEXT:      arg: Name n
    # CHECK-NEXT:    body:
    # CHECK-NEXT:      If
    # CHECK:         else:
    # CHECK-NEXT:      AugAssign +=
    for i in range(n):
        if i > 5:
            break
    else:
        s += 1
    # CHECK-LABEL: While
    # CHECK-NEXT:    test: Compare >
    # CHECK:         body:
    # CHECK-NEXT:      AugAssign -=
    # CHECK-NEXT:        target: Name n
    # CHECK:         else:
    # CHECK-NEXT:      AugAssign *=
    while n > 0:
        n -= 1
    else:
        s *= 2
    return s
