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
fuzz=0
if [ $# -eq 0 ] && [ "${BUDGET_FUZZ_SECONDS:-15}" != 0 ]; then
  fuzz=1
fi
# The fuzz stage's clang build runs meanwhile at the lowest priority, in a
# session of its own: it takes only the CPU the build and the tests leave
# idle (ctest's end-to-end tests wait on processes and fsync a lot), and an
# interrupted run ends it. With the kernel's autogroup scheduling a new
# session is a group of its own that shares the CPU equally with the
# others whatever its processes' nice value, so the session lowers its
# group's too (/proc/self/autogroup). docs/testing.md.
fuzz_build=
if [ "$fuzz" -eq 1 ]; then
  mkdir -p build-fuzz
  setsid sh -c '{ echo 19 >/proc/self/autogroup; } 2>/dev/null
                exec nice -n 19 ./tests/fuzz/fuzz.sh --build' \
    >build-fuzz/build.log 2>&1 &
  fuzz_build=$!
fi
# ctest's fixture stops the test PostgreSQL cluster after the last test that
# uses it; this covers an interrupted run.
trap '[ -z "$fuzz_build" ] || kill -- -"$fuzz_build" 2>/dev/null
      ./tests/testing/pg_cluster.sh stop build/pg_test_cluster' EXIT
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build
ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)" "$@"
if [ "$fuzz" -eq 1 ]; then
  if ! wait "$fuzz_build"; then
    cat build-fuzz/build.log
    echo "the fuzz targets' build failed (build-fuzz/build.log)" >&2
    exit 1
  fi
  fuzz_build=
  BUDGET_FUZZ_JOBS="$(nproc)" ./tests/fuzz/fuzz.sh "${BUDGET_FUZZ_SECONDS:-15}"
fi
