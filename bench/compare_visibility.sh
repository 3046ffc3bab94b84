#!/bin/bash
# Compares resubmission visibility of two query_service builds on a copy of
# a loaded SQLite store, as bench/run.sh's visibility step measures it:
# each build in turn loads a fresh copy of STORE (a cold start; its CPU
# time, utime + stime, is reported), then takes bench/run.sh's three submit
# rows (revisions with new cells in the held rollups, so that the large
# ones compact) with a drilldown reader beside them (READ_DURATION, 11s,
# spans the rows of DURATION, 3s, and their warm-ups), then
# bench_visibility's 30 rounds. Alternated (ROUNDS rounds), so that the
# machine's other load weighs on both alike. Not a pass/fail test.
#
#   bench/compare_visibility.sh BEFORE_BINARY STORE [SIZE]
#
# BEFORE_BINARY: a query_service built from the commit to compare with; the
# other is build/bin/query_service. STORE: a SQLite store bench_populate
# filled at SIZE (default L), copied, never written. Results in
# RUN/visibility.txt.
set -euo pipefail

BEFORE=$1
STORE=$2
SIZE=${3:-L}
BIN=${BIN:-build/bin}
RUN=${RUN:-build/bench-run/visibility-$SIZE}
ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-3s}
PORT=${PORT:-50190}  # PORT (ingest), PORT+1 (query).
OUT=$RUN/visibility.txt
mkdir -p "$RUN"
source "$(dirname "$0")/compare_common.sh"

# measure SIDE: SIDE's query_service on a fresh copy of the store.
measure() {
  local binary=$BIN/query_service dir=$RUN/store ingest query start_ns
  [[ $1 == before ]] && binary=$BEFORE
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$STORE" "$dir/budget.db"
  "$BIN/ingest_service" --listen="127.0.0.1:$PORT" \
    --store="sqlite:$dir/budget.db" --insecure >"$dir/ingest.log" 2>&1 &
  ingest=$!
  start_ns=$(date +%s%N)
  "$binary" --listen="127.0.0.1:$((PORT + 1))" --store="sqlite:$dir/budget.db" \
    --insecure --max_read_wait=30m >"$dir/query.log" 2>&1 &
  query=$!
  PIDS+=("$ingest" "$query")
  wait_listening "$dir/ingest.log"
  wait_listening "$dir/query.log"
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" \
    --query="127.0.0.1:$((PORT + 1))" --size="$SIZE" --rounds=1 \
    --read_deadline=30m >/dev/null
  echo "name=cold_start_$1 ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))" \
    "cpu_ms=$(cpu_ms "$query")" | tee -a "$OUT"
  # bench/run.sh's submit rows, a drilldown reader beside them.
  load "drilldown_during_submit_$1" aggregate $((PORT + 1)) 1 1 1 \
    "${READ_DURATION:-11s}" |
    tee -a "$OUT" &
  local reader=$!
  load "submit_$1" submit "$PORT" 2 4 >/dev/null
  load "submit_stream_$1" submit_stream "$PORT" 2 4 >/dev/null
  load "submit_stream_w32_$1" submit_stream "$PORT" 2 1 32 >/dev/null
  wait "$reader"
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" \
    --query="127.0.0.1:$((PORT + 1))" --size="$SIZE" --rounds=30 |
    sed "s/^name=visibility/name=visibility_$1/" |
    awk -v l="load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" '{print $0, l}' |
    tee -a "$OUT"
  stop_services "$dir" "$query" "$ingest"
}

echo "# visibility date=$(date -Is) size=$SIZE store=$STORE" | tee -a "$OUT"
alternate
