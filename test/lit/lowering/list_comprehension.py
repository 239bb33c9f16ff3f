# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# An empty literal takes the item type of what is appended (here float64:
# list<none> cast once); a comprehension over a list re-reads the length
# before each item (a `while`, as CPython's iterator), binds its own
# variable (x.0comp, not the function's x) and appends under its `if`.

# CHECK-LABEL: func @comp(%n: int64) -> list<float64>
def comp(n: int) -> list[float]:
    x = 3
    # CHECK:      %[[E:.+]] = list.new %{{.+}} : list<none>
    # CHECK-NEXT: %[[C:.+]] = cast %[[E]] : list<float64>
    # CHECK-NEXT: store %[[C]], %out
    out = []
    for i in range(n):
        # CHECK: list.append %{{.+}}, %{{.+}}
        out.append(i * 0.5)
    # CHECK:      %[[R:.+]] = list.new %{{.+}} : list<float64>
    # CHECK:      while {
    # CHECK:        list.len
    # CHECK:        condition
    # CHECK:        list.get
    # CHECK-NEXT:   store %{{.+}}, %x.0comp
    # CHECK:        if
    # CHECK:          list.append %[[R]]
    # CHECK:      return %[[R]]
    return [x + 1.0 for x in out if x > 0.0]
