# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# `/` is true division. On two ints it checks the divisor for zero itself,
# raising ZeroDivisionError with CPython's int message ("division by zero"),
# then divides with correct rounding (`math` "int_truediv": converting both
# ints to float64 first would round twice). float / float is the `div` op.

# CHECK-LABEL: func @ints(%a: int64, %b: int64) -> float64
def ints(a: int, b: int) -> float:
    # CHECK:      %[[A:.+]] = load %a.1 : int64
    # CHECK-NEXT: %[[B:.+]] = load %b.1 : int64
    # CHECK-NEXT: %[[Z:.+]] = const [value = 0] : int64
    # CHECK-NEXT: %[[IS0:.+]] = cmp %[[B]], %[[Z]] [pred = "eq"] : bool
    # CHECK-NEXT: if %[[IS0]] {
    # CHECK-NEXT:   %[[M:.+]] = str.const [value = "division by zero"] : str
    # CHECK-NEXT:   raise %[[M]] [exc = "ZeroDivisionError"]
    # CHECK-NEXT: } {
    # CHECK-NEXT: }
    # CHECK-NEXT: %[[Q:.+]] = math %[[A]], %[[B]] [fn = "int_truediv"] : float64
    # CHECK-NEXT: return %[[Q]]
    return a / b


# CHECK-LABEL: func @floats(%a: float64, %b: float64) -> float64
def floats(a: float, b: float) -> float:
    # CHECK-NOT:  raise
    # CHECK:      %[[Q:.+]] = div %{{.+}}, %{{[^ ]+}} : float64
    # CHECK-NEXT: return %[[Q]]
    return a / b
