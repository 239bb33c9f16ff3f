# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `not in` is one comparison operator; `not` binds looser than comparisons
# and tighter than `and`, which binds tighter than `or`.

def f(a: int, b: int) -> bool:
    # CHECK-LABEL: Return
    # CHECK-NEXT:    BoolOp or
    # CHECK-NEXT:      BoolOp and
    # CHECK-NEXT:        Compare not in
    # CHECK-NEXT:          Name a
    # CHECK-NEXT:          Name b
    # CHECK-NEXT:        Unary not
    # CHECK-NEXT:          Compare ==
    # CHECK-NEXT:            Name a
    # CHECK-NEXT:            IntLit 1
    # CHECK-NEXT:      Name b
    return a not in b and not a == 1 or b
