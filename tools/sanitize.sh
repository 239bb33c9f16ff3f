#!/usr/bin/env bash
# Builds Kiln with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ and runs, under them: every lit test (the compiler on every
# input of the suite), the GoogleTest units, the runtime ABI tests and a
# subset of the end-to-end tests (compiled modules whose runtime is
# sanitized, with the sanitizers' libraries preloaded into Python).
# Any report fails the run. Usage: tools/sanitize.sh [-j N]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-}"; [ "$JOBS" = "-j" ] && JOBS="$2" || JOBS="$(nproc)"
cmake -S . -B build-asan -DPython3_EXECUTABLE=/usr/bin/python3 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKILN_SANITIZE=ON > /dev/null
cmake --build build-asan -j"$JOBS"

# LLVM keeps some objects alive until exit on purpose: leaks are not findings.
# allocator_may_return_null: a huge np.zeros must give MemoryError, as
# without the sanitizer.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j"$JOBS" -E "e2e|bench|runtime-abi"

# Python modules linking the sanitized runtime need the sanitizers' runtimes
# loaded first. ASan's quarantine keeps freed memory for a while, so the
# tests that measure RSS growth do not apply here.
PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
KILN_BIN="$PWD/build-asan/bin/kiln" KILN_BUILD_DIR="$PWD/build-asan" PYTHONPATH="$PWD/python" \
  LD_PRELOAD="$PRELOAD" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  -k "not memory_growth" \
  test/e2e/test_arrays_boundary.py test/e2e/test_errors.py test/e2e/test_recursion.py \
  test/e2e/test_interrupt.py test/e2e/test_array_lifetimes.py test/e2e/test_exception_order.py \
  test/e2e/test_parallel_negative.py test/e2e/test_calls.py test/e2e/test_parallel_reductions.py \
  test/e2e/test_lists.py test/e2e/test_dicts.py test/e2e/test_try_except.py \
  test/e2e/test_random_streams.py test/e2e/test_printing.py test/e2e/test_none_values.py \
  test/e2e/test_numpy_api.py
(cd test/runtime && KILN_RT_LIB="$PWD/../../build-asan/lib/libkilnrt.a" \
   KILN_RT_INCLUDE="$PWD/../../runtime/include" PYTHONPATH="$PWD/../../build-asan/test/runtime" \
   LD_PRELOAD="$PRELOAD" /usr/bin/python3 -m pytest -q -p no:cacheprovider -k "not memory_growth" \
   test_runtime_abi.py)
echo "sanitize: no findings"
