# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# Positional arguments and keyword arguments are kept apart, in order.

def g(x: int, y: int = 2, z: int = 3) -> int:
    return x


# CHECK-LABEL: FunctionDef g
# CHECK:         Param y
# CHECK-NEXT:      annotation: Name int
# CHECK-NEXT:      default: IntLit 2

def f(a: int) -> int:
    # CHECK-LABEL: FunctionDef f
    # CHECK:         Call
    # CHECK-NEXT:      func: Name g
    # CHECK-NEXT:      arg: Name a
    # CHECK-NEXT:      Keyword z <[[#@LINE+3]]:17-[[#@LINE+3]]:20>
    # CHECK-NEXT:        IntLit 5
    # CHECK-NEXT:      Keyword y
    return g(a, z=5, y=a)
