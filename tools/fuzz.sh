#!/usr/bin/env bash
# Coverage-guided fuzzing of the frontend with libFuzzer (clang-19,
# AddressSanitizer + UndefinedBehaviorSanitizer): bytes -> encoding, lexer,
# parser, lowering, the pass pipeline with the verifier after each pass.
#
#   tools/fuzz.sh [SECONDS] [-- extra libFuzzer flags]   (default 60 s)
#   tools/fuzz.sh --ci    every seed once, then 20,000 inputs from a fixed
#                         random seed: the same inputs on every run of a
#                         commit, so CI never fails by chance
#
# Seeds: test/fuzz/corpus (checked in) and every Python test input of the
# repository; what the fuzzer learns grows build-fuzz/corpus (not checked
# in). A crash leaves its input in build-fuzz/ (crash-*) and fails the run;
# reproduce it with build-fuzz/bin/kiln-fuzz-frontend FILE, or
# KILN_FUZZ_VERBOSE=1 to see the diagnostics. CI runs it briefly; run it at
# length (hours) on demand.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
LIMIT=(-max_total_time="$SECONDS_TO_RUN")
if [ "$SECONDS_TO_RUN" = "--ci" ]; then
  LIMIT=(-seed=1 -runs=20000)
fi
shift || true
[ "${1:-}" = "--" ] && shift
if [ ! -x build-fuzz/bin/kiln-fuzz-frontend ] || [ -n "$(find frontend ir passes test/fuzz -newer build-fuzz/bin/kiln-fuzz-frontend -name '*.cpp' -o -newer build-fuzz/bin/kiln-fuzz-frontend -name '*.h' | head -1)" ]; then
  cmake -S . -B build-fuzz -DPython3_EXECUTABLE=/usr/bin/python3 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DKILN_FUZZ=ON > /dev/null
  cmake --build build-fuzz -j"$(nproc)" --target kiln-fuzz-frontend
fi
mkdir -p build-fuzz/corpus build-fuzz/seeds
find test -name '*.py' -size -16k -not -path '*/fuzz/*' -exec cp -t build-fuzz/seeds {} + 2>/dev/null || true
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd build-fuzz
if [ "$SECONDS_TO_RUN" = "--ci" ]; then
  # A fresh corpus each time: the grown one would make the run depend on
  # the runs before it.
  rm -rf ci-corpus && mkdir ci-corpus
  ./bin/kiln-fuzz-frontend "${LIMIT[@]}" -timeout=20 -rss_limit_mb=4096 -max_len=4096 \
    -print_final_stats=1 "$@" ci-corpus ../test/fuzz/corpus seeds
else
  ./bin/kiln-fuzz-frontend "${LIMIT[@]}" -timeout=20 -rss_limit_mb=4096 -max_len=4096 \
    -print_final_stats=1 "$@" corpus ../test/fuzz/corpus seeds
fi
