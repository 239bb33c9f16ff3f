# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# Tuple targets nest; parentheses make no node of their own; a chained
# assignment has several targets.

def f(t: int) -> int:
    # CHECK-LABEL: Assign
    # CHECK-NEXT:    target: Tuple
    # CHECK-NEXT:      Name p
    # CHECK-NEXT:      Tuple
    # CHECK-NEXT:        Name q
    # CHECK-NEXT:        Name r
    # CHECK-NEXT:    value: Tuple
    p, (q, r) = t, (t, t)
    # CHECK:       Assign
    # CHECK-NEXT:    target: Name a
    # CHECK-NEXT:    target: Name b
    # CHECK-NEXT:    value: Name p
    a = b = p
    return a + b + q + r
