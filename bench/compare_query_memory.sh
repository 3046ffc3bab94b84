#!/bin/bash
# Compares the query memory per line of two query_service builds, measured
# as bench/run.sh measures it: each build in turn on an empty SQLite store,
# tailing it while bench_populate fills it; (RSS loaded - RSS empty) / lines,
# and the service's CPU time (utime + stime) while it tailed. Alternated
# (ROUNDS rounds), so that the machine's other load weighs on both alike.
# Not a pass/fail test.
#
#   bench/compare_query_memory.sh BEFORE_BINARY [SIZE]
#
# BEFORE_BINARY: a query_service built from the commit to compare with; the
# other is build/bin/query_service. Results in RUN/query_memory.txt.
set -euo pipefail

BEFORE=$1
SIZE=${2:-M}
BIN=${BIN:-build/bin}
RUN=${RUN:-build/bench-run/$SIZE}
ROUNDS=${ROUNDS:-1}
PORT=${PORT:-50180}  # PORT (ingest), PORT+1 (query).
OUT=$RUN/query_memory.txt
mkdir -p "$RUN"
source "$(dirname "$0")/compare_common.sh"

# measure SIDE: one populate under SIDE's query_service, on a new store.
measure() {
  local binary=$BIN/query_service dir=$RUN/query_memory_store ingest query
  [[ $1 == before ]] && binary=$BEFORE
  rm -rf "$dir" && mkdir -p "$dir"
  "$BIN/ingest_service" --listen="127.0.0.1:$PORT" --store="sqlite:$dir/budget.db" \
    --insecure --bench_empty_service >"$dir/ingest.log" 2>&1 &
  ingest=$!
  "$binary" --listen="127.0.0.1:$((PORT + 1))" --store="sqlite:$dir/budget.db" \
    --insecure --bench_empty_service >"$dir/query.log" 2>&1 &
  query=$!
  PIDS+=("$ingest" "$query")
  wait_listening "$dir/ingest.log"
  wait_listening "$dir/query.log"
  local empty lines loaded
  empty=$(rss_kb "$query")
  lines=$("$BIN/bench_populate" --ingest="127.0.0.1:$PORT" --size="$SIZE" |
    tr ' ' '\n' | awk -F= '$1 == "lines" {print $2}')
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" \
    --query="127.0.0.1:$((PORT + 1))" --size="$SIZE" --rounds=1 \
    --read_deadline=30m >/dev/null
  loaded=$(rss_kb "$query")
  echo "name=query_memory_$1 rss_empty_kb=$empty rss_loaded_kb=$loaded" \
    "lines=$lines bytes_per_line=$(awk -v a="$loaded" -v e="$empty" -v n="$lines" \
      'BEGIN {printf "%.1f", (a - e) * 1024 / n}')" \
    "cpu_ms=$(cpu_ms "$query")" \
    "load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee -a "$OUT"
  stop_services "$dir" "$query" "$ingest"
}

echo "# query memory date=$(date -Is) size=$SIZE" | tee -a "$OUT"
for _ in $(seq "$ROUNDS"); do
  measure before
  measure after
done
