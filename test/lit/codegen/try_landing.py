# RUN: %kiln compile %s --emit=llvm -O0 | %FileCheck %s
# A try's body fails to a landing block that asks the runtime which clause
# matches; the handler takes the exception (kiln_exc_catch) into a slot.


def f(a: int, b: int) -> int:
    try:
        return a // b
    except ZeroDivisionError:
        return 0

# CHECK:      %exc.slot = alloca [4352 x i8], align 8
# CHECK:      try.landing:
# CHECK:        call i32 @kiln_exc_matches(ptr @{{.+}})
# CHECK:      except:
# CHECK-NEXT:   call void @kiln_exc_catch(ptr %exc.slot)
