#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for a
# bounded time, BUDGET_FUZZ_JOBS (default 1) targets at once; fails on the
# first crash, leak or timeout.
#   tests/fuzz/fuzz.sh                 15 s per target (the CI stage)
#   tests/fuzz/fuzz.sh 3600            an hour per target (by hand)
#   tests/fuzz/fuzz.sh 600 csv_fuzzer  some targets only
#   tests/fuzz/fuzz.sh --build         only build them
# ./tests/run.sh sets BUDGET_FUZZ_JOBS to the number of cores: each target
# still has a core for its whole time, and the stage takes half as long.
# The corpus grows in build-fuzz/fuzz-corpus/ across runs; crash inputs are
# written to build-fuzz/fuzz-artifacts/; each run appends its figures
# (executions, cov, ft) to build-fuzz/fuzz-stats.tsv. docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-15}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(budget_file_fuzzer units_file_fuzzer principals_file_fuzzer
           csv_fuzzer catalog_csv_fuzzer unit_budget_fuzzer)
fi

build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DBUDGET_FUZZ=ON \
  >/dev/null
cmake --build "$build" --target fuzzers
[ "$seconds" != --build ] || exit 0

# Seeds: the checked-in corpus (reproducers of past findings included) plus
# the fixtures of every department, so the seeds follow the fixtures.
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
for t in "${targets[@]}"; do
  mkdir -p "$seeds/$t"
  cp tests/fuzz/corpus/"$t"/* "$seeds/$t/" 2>/dev/null || true
done
copy_fixtures() {  # TARGET FIND-ARGS...
  local target="$1"
  shift
  [ -d "$seeds/$target" ] || return 0
  find fixtures data "$@" -type f -print0 | while IFS= read -r -d '' f; do
    cp "$f" "$seeds/$target/$(echo "$f" | tr / _)"
  done
}
copy_fixtures budget_file_fuzzer -name '*.budget'
copy_fixtures units_file_fuzzer -name '*.units'
copy_fixtures csv_fuzzer \( -name '*.csv' -o -name '*.budget' -o -name '*.units' \)
copy_fixtures catalog_csv_fuzzer -name '*.csv'
if [ -d "$seeds/unit_budget_fuzzer" ]; then
  # A fixture that does not parse (one kept to test a rejection) is no seed.
  find fixtures -name '*.budget' -print0 |
    xargs -0 "$build/bin/budget_to_message" "$seeds/unit_budget_fuzzer" ||
    echo "(fixtures that do not parse are left out of the seeds)"
fi

stats="$build/fuzz-stats.tsv"
[ -f "$stats" ] || printf 'date\ttarget\tseconds\texecutions\tcov\tft\tcorpus\n' >"$stats"
fuzz() {  # TARGET: runs it, appends its figures; fails on a finding
  local t=$1
  local corpus="$build/fuzz-corpus/$t"
  local artifacts="$build/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  local log="$build/fuzz-$t.log"
  echo "fuzzing $t for ${seconds}s"
  local status=0
  "$build/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict=tests/fuzz/budget.dict -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "$seeds/$t" >"$log" 2>&1 ||
    status=$?
  local runs last cov ft files
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(find "$corpus" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" \
    "$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$files" >>"$stats"
  echo "  $t: ${runs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, corpus $files"
  if [ "$status" -ne 0 ]; then
    tail -60 "$log"
    echo "$t FAILED (exit $status); input in $artifacts, log in $log" >&2
    return 1
  fi
}

# At most BUDGET_FUZZ_JOBS targets run at once; after a failure no new one
# starts, and the script fails once the running ones have ended.
jobs="${BUDGET_FUZZ_JOBS:-1}"
running=()
failed=0
for t in "${targets[@]}"; do
  if [ ${#running[@]} -ge "$jobs" ]; then
    wait "${running[0]}" || failed=1
    running=("${running[@]:1}")
  fi
  [ "$failed" -eq 0 ] || break
  fuzz "$t" &
  running+=("$!")
done
for pid in "${running[@]}"; do
  wait "$pid" || failed=1
done
exit "$failed"
