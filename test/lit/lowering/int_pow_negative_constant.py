# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# int ** int is int64, except with a negative constant exponent: 2 ** -1 is
# 0.5, so both sides become float64 and the result is a float.

# CHECK-LABEL: func @neg_exp(%x: int64) -> float64
def neg_exp(x: int) -> float:
    # CHECK:      %[[X:.+]] = load %x.1 : int64
    # CHECK-NEXT: %[[TWO:.+]] = const [value = 2] : int64
    # CHECK-NEXT: %[[E:.+]] = neg %[[TWO]] : int64
    # CHECK-NEXT: %[[XF:.+]] = cast %[[X]] : float64
    # CHECK-NEXT: %[[EF:.+]] = cast %[[E]] : float64
    # CHECK-NEXT: %[[P:.+]] = pow %[[XF]], %[[EF]] : float64
    # CHECK-NEXT: return %[[P]]
    return x ** -2


# CHECK-LABEL: func @pos_exp(%x: int64) -> int64
def pos_exp(x: int) -> int:
    # CHECK:      %[[P:.+]] = pow %{{.+}}, %{{.+}} : int64
    # CHECK-NEXT: return %[[P]]
    return x ** 3


# A variable exponent stays int64 (and raises ValueError if negative).
# CHECK-LABEL: func @var_exp(%x: int64, %e: int64) -> int64
def var_exp(x: int, e: int) -> int:
    # CHECK:      pow %{{.+}}, %{{.+}} : int64
    return x ** e
