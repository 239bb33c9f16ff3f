# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# Two export comments for one function give two specialisations, both
# exported under the Python name `g` (the module dispatches on the argument
# types); a single export keeps the plain name.

# kiln export g(int)
# kiln export g(float)
def g(x):
    return x * 2


# kiln export k(int, float)
def k(a, b):
    return a + b

# CHECK-LABEL: func @"g[int64]"(%x: int64) -> int64 [arg_names = "x", export = "g", source_name = "g"]
# CHECK:         mul %{{.+}}, %{{.+}} : int64
# CHECK-LABEL: func @"g[float64]"(%x: float64) -> float64 [arg_names = "x", export = "g", source_name = "g"]
# CHECK:         mul %{{.+}}, %{{.+}} : float64
# CHECK-LABEL: func @k(%a: int64, %b: float64) -> float64 [arg_names = "a,b", export = "k"]
