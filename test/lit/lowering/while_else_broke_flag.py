# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# `while ... else`: a `broke` flag, false before the loop and set by every
# `break`, decides whether the `else` block runs.

# CHECK-LABEL: func @find(%n: int64) -> int64
def find(n: int) -> int:
    # CHECK:      %[[BROKE:broke]] = slot : ref<bool>
    i = 0
    # CHECK:      %[[F:.+]] = const [value = false] : bool
    # CHECK-NEXT: store %[[F]], %[[BROKE]]
    # CHECK-NEXT: while {
    # CHECK:        condition
    # CHECK-NEXT: } {
    while i < n:
        # CHECK:      if
        if i * i == n:
            # CHECK:      %[[T:.+]] = const [value] : bool
            # CHECK-NEXT: store %[[T]], %[[BROKE]]
            # CHECK-NEXT: break
            break
        i += 1
    else:
        # CHECK:      %[[B:.+]] = load %[[BROKE]] : bool
        # CHECK-NEXT: %[[NB:.+]] = not %[[B]] : bool
        # CHECK-NEXT: if %[[NB]] {
        # CHECK-NEXT:   %[[M1:.+]] = const [value = 1] : int64
        # CHECK-NEXT:   %[[NEG:.+]] = neg %[[M1]] : int64
        # CHECK-NEXT:   return %[[NEG]]
        return -1
    return i


# Without `else` there is no flag.
# CHECK-LABEL: func @plain(%n: int64) -> int64
# CHECK-NOT:   broke
# CHECK:       return
def plain(n: int) -> int:
    while n > 10:
        if n == 50:
            break
        n -= 1
    return n
