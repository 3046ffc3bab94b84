#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test.
#   ./tests/run.sh            everything
#   ./tests/run.sh -R Money   only tests matching a ctest regex
# Called without arguments it ends with the fuzz stage: every libFuzzer
# target for BUDGET_FUZZ_SECONDS (default 15; 0 skips), built with clang in
# build-fuzz/ (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

./tools/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build
# ctest's fixture stops the test PostgreSQL cluster after the last test that
# uses it; this covers an interrupted run.
trap './tests/testing/pg_cluster.sh stop build/pg_test_cluster' EXIT
ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)" "$@"
if [ $# -eq 0 ] && [ "${BUDGET_FUZZ_SECONDS:-15}" != 0 ]; then
  ./tests/fuzz/fuzz.sh "${BUDGET_FUZZ_SECONDS:-15}"
fi
