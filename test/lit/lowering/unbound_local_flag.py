# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# A local that may be read before it is assigned gets a `NAME.set` flag: false
# on entry, true after each assignment, checked before the read, which
# raises UnboundLocalError as CPython does. Locals assigned on every path
# get no flag.

# CHECK-LABEL: func @maybe(%c: bool) -> int64
def maybe(c: bool) -> int:
    # CHECK-DAG:  %[[Y:y]] = slot : ref<int64>
    # CHECK-DAG:  %[[SET:y.set]] = slot : ref<bool>
    # CHECK-DAG:  %[[F:.+]] = const [value = false] : bool
    # CHECK-DAG:  store %[[F]], %[[SET]]
    # CHECK-NOT:  x.set
    x = 1
    if c:
        # CHECK:      store %{{.+}}, %[[Y]]
        # CHECK-NEXT: %[[T:.+]] = const [value] : bool
        # CHECK-NEXT: store %[[T]], %[[SET]]
        y = 2
    # CHECK:      %[[IS:.+]] = load %[[SET]] : bool
    # CHECK-NEXT: %[[NOT:.+]] = not %[[IS]] : bool
    # CHECK-NEXT: if %[[NOT]] {
    # CHECK-NEXT:   %[[MSG:.+]] = str.const [value = "cannot access local variable 'y' where it is not associated with a value"] : str
    # CHECK-NEXT:   raise %[[MSG]] [exc = "UnboundLocalError"]
    # CHECK-NEXT: } {
    # CHECK-NEXT: }
    # CHECK-NEXT: load %[[Y]] : int64
    return x + y


# CHECK-LABEL: func @always(%c: bool) -> int64
# CHECK-NOT:   .set
# CHECK-NOT:   UnboundLocalError
# CHECK:       return
def always(c: bool) -> int:
    if c:
        y = 1
    else:
        y = 2
    return y
