#!/bin/bash
# Compares resubmission visibility of two query_service builds on a copy of
# a loaded SQLite store, as bench/run.sh's visibility step measures it, in
# one window: one ingest service and both builds' query services on one
# copy of STORE. Both load it (a cold start; each one's CPU time, utime +
# stime, is reported), then take bench/run.sh's three submit rows together
# (revisions with new cells in the held rollups, so that the large ones
# compact), a drilldown reader on each (READ_DURATION, 11s, spans the rows
# of DURATION, 3s, and their warm-ups), each one's CPU while following
# them reported; then bench_visibility's 30 rounds against each in turn,
# ROUNDS times. Not a pass/fail test.
#
#   bench/compare_visibility.sh BEFORE_BINARY STORE [SIZE]
#
# BEFORE_BINARY: a query_service built from the commit to compare with; the
# other is build/bin/query_service. STORE: a SQLite store bench_populate
# filled at SIZE (default L), copied, never written. Ports PORT (ingest),
# PORT+1 (before), PORT+2 (after). Results in RUN/visibility.txt.
set -euo pipefail

BEFORE=$1
STORE=$2
SIZE=${3:-L}
BIN=${BIN:-build/bin}
LISTEN_WAIT=${LISTEN_WAIT:-900}  # The services load STORE before listening.
RUN=${RUN:-build/bench-run/visibility-$SIZE}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-3s}
PORT=${PORT:-50190}
OUT=$RUN/visibility.txt
mkdir -p "$RUN"
source "$(dirname "$0")/compare_common.sh"

load() {  # name rpc port channels in_flight [window [duration]]
  "$BIN/bench_load" --name="$1" --rpc="$2" --target="127.0.0.1:$3" \
    --size="$SIZE" --channels="$4" --in_flight="$5" --window="${6:-1}" \
    --warmup=1s --duration="${7:-$DURATION}"
}
# visibility SIDE ROUNDS: bench_visibility against SIDE's query service.
visibility() {
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" \
    --query="127.0.0.1:${port[$1]}" --size="$SIZE" --rounds="$2" \
    --read_deadline=30m
}

dir=$RUN/store
rm -rf "$dir" && mkdir -p "$dir"
cp "$STORE" "$dir/budget.db"
echo "# visibility date=$(date -Is) size=$SIZE store=$STORE" | tee -a "$OUT"
"$BIN/ingest_service" --listen="127.0.0.1:$PORT" \
  --store="sqlite:$dir/budget.db" --insecure >"$dir/ingest.log" 2>&1 &
ingest=$!
PIDS+=("$ingest")
declare -A port=([before]=$((PORT + 1)) [after]=$((PORT + 2))) pid
for side in before after; do
  binary=$BIN/query_service
  [[ $side == before ]] && binary=$BEFORE
  "$binary" --listen="127.0.0.1:${port[$side]}" --store="sqlite:$dir/budget.db" \
    --insecure --max_read_wait=30m >"$dir/query_$side.log" 2>&1 &
  pid[$side]=$!
  PIDS+=("$!")
done
wait_listening "$dir/ingest.log"
for side in before after; do
  wait_listening "$dir/query_$side.log"
  visibility "$side" 1 >/dev/null
  echo "name=cold_start_$side cpu_ms=$(cpu_ms "${pid[$side]}")" | tee -a "$OUT"
done

# bench/run.sh's submit rows, a drilldown reader on each replica.
declare -A cpu_before_rows
readers=()
for side in before after; do
  cpu_before_rows[$side]=$(cpu_ms "${pid[$side]}")
  load "drilldown_during_submit_$side" aggregate "${port[$side]}" 1 1 1 \
    "${READ_DURATION:-11s}" | tee -a "$OUT" &
  readers+=("$!")
done
load submit submit "$PORT" 2 4 | tee -a "$OUT"
load submit_stream submit_stream "$PORT" 2 4 | tee -a "$OUT"
load submit_stream_w32 submit_stream "$PORT" 2 1 32 | tee -a "$OUT"
wait "${readers[@]}"
for side in before after; do
  # Once it holds every revision of the rows (a resubmission after them,
  # read back): the CPU it took to follow them.
  visibility "$side" 1 >/dev/null
  echo "name=submit_rows_$side" \
    "query_cpu_ms=$(($(cpu_ms "${pid[$side]}") - cpu_before_rows[$side]))" |
    tee -a "$OUT"
done
for _ in $(seq "$ROUNDS"); do
  for side in before after; do
    visibility "$side" 30 | sed "s/^name=visibility/name=visibility_$side/" |
      awk -v l="load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" '{print $0, l}' |
      tee -a "$OUT"
  done
done
stop_services "$dir" "$ingest" "${pid[@]}"
