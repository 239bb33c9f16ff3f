# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=skylake-avx512 -o - | %FileCheck %s
# RUN: %kiln compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 -o - | %FileCheck --check-prefix=AVX2 %s
# A histogram's scatter split off its loop (passes/DeferChecks.cpp,
# codegen/LowerDeferred.cpp): per chunk, the first loop divides and
# converts whole vectors, its checks only flagged, and records each bin;
# the second increments the recorded bins. A failed check, or a recorded
# bin out of bounds (their maximum), runs the chunk again, checked.
# Without AVX-512 a vector of doubles converts to int64 lane by lane, and
# the loop is left as written.
from kiln.types import float64, int64


# CHECK-LABEL: define {{.*}}@kiln.entry.hist(
# CHECK:       scatter.chunk{{.*}}:
# CHECK:       vector.body{{.*}}:
# CHECK-NOT:     call {{.*}}@kiln_raise
# CHECK:         fdiv <[[N:[0-9]+]] x double>
# CHECK-NOT:     call {{.*}}@kiln_raise
# CHECK:         fptosi <[[N]] x double> {{.*}} to <[[N]] x i64>
# CHECK-NOT:     call {{.*}}@kiln_raise
# CHECK:         @llvm.vector.reduce.umax
# CHECK:       scatter.replay{{.*}}:
# CHECK:       scatter.store{{.*}}:
# CHECK:         @llvm.sadd.with.overflow.i64(i64 %{{[0-9]+}}, i64 1)
# CHECK:       deferred.checked{{.*}}:
# AVX2-LABEL:  define {{.*}}@kiln.entry.hist(
# AVX2-NOT:    scatter.body
# AVX2:        ret
def hist(h: int64[:], x: float64[:], lo: float, width: float):
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo:
            k = int((v - lo) / width)
            h[k] += 1
