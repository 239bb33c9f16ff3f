#!/usr/bin/env bash
# Installs every Debian 12 package Kiln's build, tests and benchmarks need.
# Idempotent; run as root (or through sudo). Set KILN_SKIP_PEERS=1 to skip the
# optional peer compilers (Numba, Pythran) used only by the benchmarks.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

PKGS=(
  g++ cmake make pkg-config
  llvm-19-dev llvm-19-tools clang-19 libomp-19-dev libzstd-dev
  antlr4 libantlr4-runtime-dev uuid-dev
  python3-dev python3-numpy python3-pytest
  libgtest-dev libgmock-dev
  libutf8proc-dev
  libfuzzer-19-dev libclang-rt-19-dev
  # the ecosystem tests (test/e2e/test_ecosystem.py): Kiln kernels under
  # joblib, Dask (threaded and distributed), mpi4py, threadpoolctl, SciPy
  python3-scipy python3-joblib python3-threadpoolctl python3-dask python3-distributed
  python3-mpi4py openmpi-bin
)
if [ "${KILN_SKIP_PEERS:-0}" != 1 ]; then
  PKGS+=(python3-numba python3-pythran)
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kiln: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "kiln: all build dependencies are installed"
fi
