# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 | %FileCheck %s
# `inside += 1` is a counter (passes/Counters.cpp): no overflow check, so the
# conditional increment needs no raise path and the loop vectorises.

def count_inside(n: int, r: float) -> int:
    inside = 0
    for i in range(n):
        x = i * 0.001
        if x * x <= r:
            inside += 1
    return inside

# CHECK-LABEL: define internal {{.*}} @kiln.entry.count_inside
# CHECK-NOT: with.overflow
# CHECK-NOT: kiln_raise
# CHECK: vector.body:
# CHECK: fcmp ole <4 x double>
# CHECK: add <4 x i64>
# CHECK: ret
