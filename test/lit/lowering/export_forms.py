# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# Pythran's export forms expand into overloads: `or` gives one signature per
# alternative, `T?` one per count of optional parameters; parameters left
# out are bound to their defaults inside the function; order(C) gives a
# C-order array, order(F) a strided one; fixed extents are checked on entry.

#pythran export a(int or float, float?), b(float64[:, :] order(C)), c(float64[:, :] order(F))
#pythran export d(float64[:, 3])
def a(x, y=1.5):
    return x + y


def b(m):
    return m[0, 0]


def c(m):
    return m[0, 0]


def d(m):
    return m[0, 0]

# CHECK-LABEL: func @"a[int64]"(%x: int64) -> float64 [arg_names = "x", export = "a", source_name = "a"]
# CHECK:         const [value = 1.5]
# CHECK-LABEL: func @"a[float64]"(%x: float64) -> float64
# CHECK-LABEL: func @"a[int64, float64]"(%x: int64, %y: float64) -> float64 [arg_names = "x,y", default.1 = 1.5, export = "a", source_name = "a"]
# CHECK-LABEL: func @"a[float64, float64]"(%x: float64, %y: float64)
# CHECK-LABEL: func @b(%m: array<float64, 2, C>)
# CHECK-LABEL: func @c(%m: array<float64, 2>)
# CHECK-LABEL: func @d(%m: array<float64, 2>)
# CHECK:         %[[D:.+]] = array.dim %m [axis = 1]
# CHECK:         cmp %[[D]], %{{.+}} [pred = "ne"]
# CHECK:         raise %[[D]] [exc = "TypeError", fmt = "d() argument 'm': expected extent 3 on axis 1 (the export fixes it), got {}"]
