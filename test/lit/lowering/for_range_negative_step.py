# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# range(lo, hi, step) becomes `for %lo, %hi, %step`; a constant step (here
# -2) needs no run-time check, a variable step gets a ValueError check for
# zero before the loop, as range() raises when it is called.

# CHECK-LABEL: func @down(%n: int64) -> int64
def down(n: int) -> int:
    t = 0
    # CHECK:      %[[HI:.+]] = const [value = 10] : int64
    # CHECK-NEXT: %[[LO:.+]] = const [value = 0] : int64
    # CHECK-NEXT: %[[TWO:.+]] = const [value = 2] : int64
    # CHECK-NEXT: %[[STEP:.+]] = neg %[[TWO]] : int64
    # CHECK-NOT:  raise
    # CHECK-NEXT: for %[[HI]], %[[LO]], %[[STEP]] {
    # CHECK-NEXT: ^(%i.1: int64):
    # CHECK-NEXT:   store %i.1, %i
    for i in range(10, 0, -2):
        t += i
    return t


# CHECK-LABEL: func @stepped(%n: int64, %s: int64) -> int64
def stepped(n: int, s: int) -> int:
    t = 0
    # CHECK:      %[[S:.+]] = load %s.1 : int64
    # CHECK-NEXT: %[[Z:.+]] = const [value = 0] : int64
    # CHECK-NEXT: %[[ISZ:.+]] = cmp %[[S]], %[[Z]] [pred = "eq"] : bool
    # CHECK-NEXT: if %[[ISZ]] {
    # CHECK-NEXT:   %[[MSG:.+]] = str.const [value = "range() arg 3 must not be zero"] : str
    # CHECK-NEXT:   raise %[[MSG]] [exc = "ValueError"]
    # CHECK-NEXT: } {
    # CHECK-NEXT: }
    # CHECK-NEXT: for %{{.+}}, %{{.+}}, %[[S]] {
    for j in range(0, n, s):
        t += j
    return t


# One argument: range(n) is range(0, n, 1).
# CHECK-LABEL: func @simple(%n: int64) -> int64
def simple(n: int) -> int:
    t = 0
    # CHECK:      %[[N:.+]] = load %n.1 : int64
    # CHECK-NEXT: %[[ZERO:.+]] = const [value = 0] : int64
    # CHECK-NEXT: %[[ONE:.+]] = const [value = 1] : int64
    # CHECK-NEXT: for %[[ZERO]], %[[N]], %[[ONE]] {
    for k in range(n):
        t += k
    return t
