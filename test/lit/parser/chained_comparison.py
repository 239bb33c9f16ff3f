# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `a < b <= c` is one Compare node with two operators and three operands,
# not a comparison of a comparison.

def f(a: int, b: int, c: int) -> bool:
    # CHECK-LABEL: Return
    # CHECK-NEXT:    Compare < <= <[[#@LINE+5]]:12-[[#@LINE+5]]:22>
    # CHECK-NEXT:      Name a
    # CHECK-NEXT:      Name b
    # CHECK-NEXT:      Name c
    # CHECK-NOT:     Compare
    return a < b <= c
