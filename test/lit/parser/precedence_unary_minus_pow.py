# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `**` binds tighter than unary minus on its left, but its right operand may
# itself be a unary expression; `**` is right-associative.

def f(a: int, b: int) -> int:
    # CHECK-LABEL: target: Name x
    # CHECK-NEXT:  value: Unary -
    # CHECK-NEXT:    BinOp **
    # CHECK-NEXT:      IntLit 2
    # CHECK-NEXT:      IntLit 2
    x = -2**2
    # CHECK-LABEL: target: Name y
    # CHECK-NEXT:  value: BinOp **
    # CHECK-NEXT:    IntLit 2
    # CHECK-NEXT:    Unary -
    # CHECK-NEXT:      IntLit 1
    y = 2**-1
    # CHECK-LABEL: target: Name z
    # CHECK-NEXT:  value: BinOp **
    # CHECK-NEXT:    Name a
    # CHECK-NEXT:    BinOp **
    # CHECK-NEXT:      Name b
    # CHECK-NEXT:      IntLit 2
    z = a ** b ** 2
    # `*` binds tighter than `+`, `-` is left-associative.
    # CHECK-LABEL: target: Name w
    # CHECK-NEXT:  value: BinOp -
    # CHECK-NEXT:    BinOp -
    # CHECK-NEXT:      Name a
    # CHECK-NEXT:      BinOp *
    # CHECK-NEXT:        Name b
    # CHECK-NEXT:        IntLit 3
    # CHECK-NEXT:    IntLit 1
    w = a - b * 3 - 1
    return x + y + z + w
