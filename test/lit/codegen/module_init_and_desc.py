# RUN: %kiln compile %s --emit=llvm -O0 --target-cpu=x86-64-v3 | %FileCheck %s
# The module exports exactly one symbol, PyInit_<module name>, which hands
# the runtime a descriptor table: one entry per exported function with its
# name, parameter count, names and types, result type, entry point and
# signature text, and flags (1: KILN_FUNC_SHORT, no loop: the GIL stays held).
# Compiled functions themselves are internal.

# CHECK-DAG: c"scale(x: float64, k: int64) -> float64\00"
# CHECK-DAG: c"count(n: int64) -> int64\00"
# Literal defaults travel as 8-byte slots, for calls from Python that omit them.
# CHECK-DAG: @kiln.defaults.count = private constant [1 x i64] [i64 41]
# CHECK:     @kiln.funcs = private constant [2 x %kiln_func_desc] [%kiln_func_desc { ptr @{{.+}}, i32 2, ptr @kiln.param_names.scale, ptr @kiln.param_types.scale, ptr @{{.+}}, ptr @kiln.entry.scale, ptr @{{.+}}, i32 1, i32 0, ptr null, ptr null }, %kiln_func_desc { ptr @{{.+}}, i32 1, ptr @kiln.param_names.count, ptr @kiln.param_types.count, ptr @{{.+}}, ptr @kiln.entry.count, ptr @{{.+}}, i32 1, i32 1, ptr @kiln.defaults.count, ptr null }]
# Module constants follow as kiln_global_desc {name, kind ('i' = 105), pad, i, f, s}.
# CHECK:     @kiln.globals = private constant [1 x %kiln_global_desc] [%kiln_global_desc { ptr @{{.+}}, i32 105, i32 0, i64 7, double 0.000000e+00, ptr null }]
# CHECK:     @[[NAME:[^ ]+]] = private unnamed_addr constant [21 x i8] c"module_init_and_desc\00"
# CHECK:     @kiln.module = private constant %kiln_module_desc { i32 4, ptr @[[NAME]], ptr null, i32 2, ptr @kiln.funcs, i32 1, ptr @kiln.globals }

# CHECK-DAG: define internal { double, i1 } @kiln.f.scale(double %x, i64 %k)
# CHECK-DAG: define internal { i64, i1 } @kiln.f.count(i64 %n)
# CHECK-DAG: define internal {{.*}}i32 @kiln.entry.scale(ptr {{.*}}%args, ptr {{.*}}%results)
# CHECK:     define ptr @PyInit_module_init_and_desc()
# CHECK-NEXT: entry:
# CHECK-NEXT:   %[[M:.+]] = call ptr @kiln_module_create(ptr @kiln.module)
# CHECK-NEXT:   ret ptr %[[M]]


SEVEN = 7


def scale(x: float, k: int) -> float:
    return x * k


def count(n: int = 41) -> int:
    return n + 1
