# RUN: %kiln compile %s --emit=llvm -O0 --target-cpu=x86-64-v3 | %FileCheck %s
# A function in a cycle of calls takes the thread's stack limit as a last,
# hidden parameter, compares the stack pointer with it on entry and raises
# RecursionError below it; it passes the limit on to the recursive call.
# The entry point asks the runtime once. Functions outside every cycle
# have neither.

# CHECK-LABEL: define internal {{.*}} @kiln.f.depth(i64 %n, i64 %stack.limit)
# CHECK:         %[[SP:.+]] = call ptr @llvm.stacksave.p0()
# CHECK-NEXT:    %[[SPI:.+]] = ptrtoint ptr %[[SP]] to i64
# CHECK-NEXT:    %[[LOW:.+]] = icmp ult i64 %[[SPI]], %stack.limit
# CHECK-NEXT:    br i1 %[[LOW]], label %[[RAISE:.+]], label
# CHECK:         call {{.*}} @kiln.f.depth(i64 %{{.+}}, i64 %stack.limit)
# CHECK:       [[RAISE]]:
# CHECK-NEXT:    call void @kiln_raise_msg(ptr @{{.+}}, ptr @{{.+}})

# CHECK-LABEL: define internal {{.*}} @kiln.f.leaf(i64 %n)
# CHECK-NOT:     stacksave
# CHECK:         ret

# CHECK-LABEL: define internal {{.*}} @kiln.entry.depth(
# CHECK:         %stack.limit = call i64 @kiln_stack_limit()
# CHECK:         call {{.*}} @kiln.f.depth(i64 %{{.+}}, i64 %stack.limit)

# CHECK: declare i64 @kiln_stack_limit() #[[ATTRS:[0-9]+]]
# CHECK: attributes #[[ATTRS]] = { {{.*}}memory(none){{.*}} }

def depth(n: int) -> int:
    if n == 0:
        return leaf(n)
    return 1 + depth(n - 1)


def leaf(n: int) -> int:
    return n * 2
