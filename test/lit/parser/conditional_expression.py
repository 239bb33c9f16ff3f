# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `x if c else y` evaluates the test first: the dump lists test, body,
# orelse; it binds looser than `or` and nests to the right.

def f(a: int, b: int) -> int:
    # CHECK-LABEL: Return
    # CHECK-NEXT:    IfExp
    # CHECK-NEXT:      test: BoolOp or
    # CHECK-NEXT:        Name a
    # CHECK-NEXT:        Name b
    # CHECK-NEXT:      body: Name a
    # CHECK-NEXT:      orelse: IfExp
    # CHECK-NEXT:        test: Name b
    # CHECK-NEXT:        body: Name b
    # CHECK-NEXT:        orelse: IntLit 0
    return a if a or b else b if b else 0
