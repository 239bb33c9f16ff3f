#!/usr/bin/env bash
# Quick start, step 1: installs Kiln's dependencies (Debian 12 packages),
# builds Kiln, then compiles and runs the example in examples/quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build -DPython3_EXECUTABLE=/usr/bin/python3 -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
/usr/bin/python3 examples/quickstart/run.py --kiln build/bin/kiln
