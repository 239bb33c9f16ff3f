# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# `a and b` is `b if a else a`, `a or b` is `a if a else b`: the right side
# is computed only inside the branch that needs it, and the value goes
# through a temporary slot. Python's value semantics: `a or b` on ints is an
# int, not a bool.

# CHECK-LABEL: func @and_(%a: int64, %b: int64) -> int64
def and_(a: int, b: int) -> int:
    # CHECK:      %[[TMP:[0-9]+]] = slot : ref<int64>
    # CHECK:      %[[A:.+]] = load %a.1 : int64
    # CHECK-NEXT: %[[C:.+]] = cast %[[A]] : bool
    # CHECK-NEXT: if %[[C]] {
    # CHECK-NEXT:   %[[B:.+]] = load %b.1 : int64
    # CHECK-NEXT:   store %[[B]], %[[TMP]]
    # CHECK-NEXT: } {
    # CHECK-NEXT:   store %[[A]], %[[TMP]]
    # CHECK-NEXT: }
    # CHECK-NEXT: %[[R:.+]] = load %[[TMP]] : int64
    # CHECK-NEXT: return %[[R]]
    return a and b


# CHECK-LABEL: func @or_(%a: int64, %b: int64) -> int64
def or_(a: int, b: int) -> int:
    # CHECK:      %[[TMP:[0-9]+]] = slot : ref<int64>
    # CHECK:      %[[A:.+]] = load %a.1 : int64
    # CHECK-NEXT: %[[C:.+]] = cast %[[A]] : bool
    # CHECK-NEXT: if %[[C]] {
    # CHECK-NEXT:   store %[[A]], %[[TMP]]
    # CHECK-NEXT: } {
    # CHECK-NEXT:   %[[B:.+]] = load %b.1 : int64
    # CHECK-NEXT:   store %[[B]], %[[TMP]]
    # CHECK-NEXT: }
    return a or b


# Mixed types join: int `or` float is a float, converted in each branch.
# CHECK-LABEL: func @mixed(%a: int64, %x: float64) -> float64
def mixed(a: int, x: float) -> float:
    # CHECK:      %[[TMP:[0-9]+]] = slot : ref<float64>
    # CHECK:      if
    # CHECK-NEXT:   %[[AF:.+]] = cast %{{.+}} : float64
    # CHECK-NEXT:   store %[[AF]], %[[TMP]]
    return a or x
