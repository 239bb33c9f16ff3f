# RUN: %kiln compile %s --emit=llvm -O0 -o - | %FileCheck %s
# RUN: %kiln compile %s --unchecked --emit=llvm -O0 -o - | %FileCheck %s --check-prefix=UNCHECKED
# array.index in LLVM: a negative index wraps (select on i < 0 of i + extent),
# then one unsigned compare against the extent catches both ends and branches
# (cold) to a call of kiln_raise_index(index as written, axis, extent).
# The element address is data + sum(index_k * stride_k) in elements.
# --unchecked keeps the wrap and drops the compare and the call.
from kiln.types import float64


# CHECK-LABEL: define internal { double, i1 } @kiln.f.get({ ptr, [2 x i64], [2 x i64] } %a, i64 %i, i64 %j)
# Both indices are loaded (evaluated) before the first check.
# CHECK:       %[[I:.+]] = load i64, ptr %i{{.*}}
# CHECK-NEXT:  load i64, ptr %j{{.*}}
# CHECK-NEXT:  %[[N:.+]] = extractvalue { ptr, [2 x i64], [2 x i64] } %[[A:.+]], 1, 0
# CHECK-NEXT:  %[[S:.+]] = add i64 %[[I]], %[[N]]
# CHECK-NEXT:  %[[NEG:.+]] = icmp slt i64 %[[I]], 0
# CHECK-NEXT:  %[[W:.+]] = select i1 %[[NEG]], i64 %[[S]], i64 %[[I]]
# CHECK-NEXT:  %[[BAD:.+]] = icmp uge i64 %[[W]], %[[N]]
# CHECK-NEXT:  br i1 %[[BAD]], label %[[ERR:.+]], label %{{.+}}, !prof
# CHECK:       [[ERR]]:
# CHECK-NEXT:  call void @kiln_raise_index(i64 %[[I]], i64 0, i64 %[[N]])
# CHECK:       call void @kiln_raise_index(i64 %{{.+}}, i64 1, i64 %{{.+}})
# CHECK:       extractvalue { ptr, [2 x i64], [2 x i64] } %[[A]], 2, 0
# CHECK:       extractvalue { ptr, [2 x i64], [2 x i64] } %[[A]], 2, 1
# CHECK:       getelementptr inbounds double, ptr
# CHECK:       load double
# CHECK:       declare void @kiln_raise_index(i64, i64, i64)

# UNCHECKED-LABEL: define internal { double, i1 } @kiln.f.get(
# UNCHECKED:       select i1
# UNCHECKED:       select i1
# UNCHECKED-NOT:   icmp uge
# UNCHECKED-NOT:   kiln_raise_index
# UNCHECKED:       load double
def get(a: float64[:, :], i: int, j: int) -> float:
    return a[i, j]
