# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 | %FileCheck %s
# An int sum loop at -O2 on x86-64-v3. It is NOT vectorised: every `+=`
# checks for overflow (Python ints do not wrap; Kiln raises OverflowError),
# and the early exit of that check keeps the loop vectoriser away. What
# -O2 does give: the slots are promoted to phis, the helper is inlined into
# the entry point, and the overflow check is the only branch in the loop.
# The loop runs in chunks of 65536 iterations (a Ctrl-C poll between
# chunks), so the body has the chunk counter's phi besides `s` and `i`.
# (If vectorisation of checked reductions is added, this test should be
# changed to look for `<4 x i64>` instead.)

# CHECK-LABEL: define internal {{.*}}i32 @kiln.entry.total(
# CHECK-NOT:   alloca
# CHECK-NOT:   x i64>
# CHECK:       [[BODY:for.body[.a-z0-9]*]]:
# CHECK-NEXT:    %[[S:.+]] = phi i64
# CHECK-NEXT:    %{{.+}} = phi i64 [ %for.kchunk
# CHECK-NEXT:    %[[I:.+]] = phi i64
# CHECK-NEXT:    %[[ADD:.+]] = tail call { i64, i1 } @llvm.sadd.with.overflow.i64(i64 %[[S]], i64 %[[I]])
# CHECK-NEXT:    %[[OV:.+]] = extractvalue { i64, i1 } %[[ADD]], 1
# CHECK-NEXT:    br i1 %[[OV]], label %{{.+}}, label %{{.+}}, !prof
# CHECK-NOT:   x i64>
# CHECK:       ret i32

def total(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s
