# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# An unannotated helper is specialised for the argument types of each call:
# one IR function per type list, named `h[int64]`, `h[float64]`, keeping the
# source name in `source_name`; helpers are not exported.

def h(x):
    return x + 1


# CHECK-LABEL: func @f(%a: int64, %b: float64) -> float64
def f(a: int, b: float) -> float:
    # CHECK: call %{{.+}} [callee = @"h[int64]"] : int64
    # CHECK: call %{{.+}} [callee = @"h[float64]"] : float64
    return h(a) + h(b)

# CHECK-LABEL: func @"h[int64]"(%x: int64) -> int64 [source_name = "h"]
# CHECK:         add %{{.+}}, %{{.+}} : int64
# CHECK-LABEL: func @"h[float64]"(%x: float64) -> float64 [source_name = "h"]
# CHECK:         add %{{.+}}, %{{.+}} : float64
