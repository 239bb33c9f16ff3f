# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# `a < b <= c` is `a < b and b <= c` with `b` computed once: the second
# comparison runs only inside the branch where the first one held.

# CHECK-LABEL: func @between(%a: int64, %b: int64, %c: int64) -> bool
def between(a: int, b: int, c: int) -> bool:
    # CHECK:      %[[TMP:.+]] = slot : ref<bool>
    # CHECK:      %[[A:.+]] = load %a.1 : int64
    # CHECK-NEXT: %[[B:.+]] = load %b.1 : int64
    # CHECK-NEXT: %[[AB:.+]] = cmp %[[A]], %[[B]] [pred = "lt"] : bool
    # CHECK-NEXT: if %[[AB]] {
    # CHECK-NEXT:   %[[C:.+]] = load %c.1 : int64
    # CHECK-NEXT:   %[[BC:.+]] = cmp %[[B]], %[[C]] [pred = "le"] : bool
    # CHECK-NEXT:   store %[[BC]], %[[TMP]]
    # CHECK-NEXT: } {
    # CHECK-NEXT:   %[[F:.+]] = const [value = false] : bool
    # CHECK-NEXT:   store %[[F]], %[[TMP]]
    # CHECK-NEXT: }
    # CHECK-NOT:  load %b.1
    return a < b <= c
