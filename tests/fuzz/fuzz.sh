#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for a
# bounded time, one at a time; fails on the first crash, leak or timeout.
#   tests/fuzz/fuzz.sh                 15 s per target (the CI stage)
#   tests/fuzz/fuzz.sh 3600            an hour per target (by hand)
#   tests/fuzz/fuzz.sh 600 csv_fuzzer  some targets only
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
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz-$t.log"
  echo "fuzzing $t for ${seconds}s"
  status=0
  "$build/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict=tests/fuzz/budget.dict -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "$seeds/$t" >"$log" 2>&1 ||
    status=$?
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
    exit 1
  fi
done
