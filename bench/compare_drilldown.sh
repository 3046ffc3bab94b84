#!/bin/bash
# Compares the computed drilldown (bench_requests.h) of two query_service
# builds on one loaded store, in one window: both start with
# --answer_cache_mb=0 on the store a bench/run.sh left behind, then one
# caller drives each in turn (3 rounds, alternated, so that the machine's
# other load weighs on both alike), then each is profiled with perf
# (cpu-clock samples) while one caller drives it. Not a pass/fail test.
#
#   bench/compare_drilldown.sh BEFORE_BINARY [SIZE [RPC]]
#
# RPC: aggregate (the default; the first drilldown) or aggregate2 (the
# second: two dimensions with a cut).
# BEFORE_BINARY: a query_service built from the commit to compare with;
# the other is build/bin/query_service. Results in RUN/compare.txt, the
# profiles' top symbols in RUN/perf_{before,after}.txt.
set -euo pipefail

BEFORE=$1
SIZE=${2:-M}
RPC=${3:-aggregate}
BIN=${BIN:-build/bin}
RUN=${RUN:-build/bench-run/$SIZE}
PORT=${PORT:-50160}  # PORT, PORT+1, PORT+2.
OUT=$RUN/compare.txt
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

echo "# compare rpc=$RPC date=$(date -Is) load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee "$OUT"
"$BIN/ingest_service" --listen="127.0.0.1:$PORT" --store="sqlite:$RUN/budget.db" \
  --insecure >"$RUN/compare_ingest.log" 2>&1 &
PIDS+=("$!")
declare -A PID
for side in before after; do
  binary=$BIN/query_service
  port=$((PORT + 2))
  if [[ $side == before ]]; then binary=$BEFORE; port=$((PORT + 1)); fi
  "$binary" --listen="127.0.0.1:$port" --store="sqlite:$RUN/budget.db" \
    --insecure --answer_cache_mb=0 --max_read_wait=30m \
    >"$RUN/compare_$side.log" 2>&1 &
  PID[$side]=$!
  PIDS+=("$!")
done
for log in ingest before after; do
  for _ in $(seq 600); do
    grep -q '^listening on' "$RUN/compare_$log.log" && break
    sleep 0.1
  done
done
for port in $((PORT + 1)) $((PORT + 2)); do  # Until each holds the store.
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" --query="127.0.0.1:$port" \
    --size="$SIZE" --rounds=1 --read_deadline=30m >/dev/null
done
drive() {  # name port duration
  "$BIN/bench_load" --name="$1" --rpc="$RPC" --target="127.0.0.1:$2" \
    --size="$SIZE" --warmup="${4:-1s}" --duration="$3"
}
for round in 1 2 3; do
  drive "drilldown_computed_before_r$round" $((PORT + 1)) 3s | tee -a "$OUT"
  drive "drilldown_computed_after_r$round" $((PORT + 2)) 3s | tee -a "$OUT"
done
for side in before after; do
  port=$((PORT + 2))
  [[ $side == before ]] && port=$((PORT + 1))
  perf record -e cpu-clock -F 2000 -p "${PID[$side]}" \
    -o "$RUN/perf_$side.data" -- sleep 4 >/dev/null 2>&1 &
  recorder=$!
  drive "profiled_$side" "$port" 4s 0s | tee -a "$OUT"
  wait "$recorder"
  samples=$(perf script -i "$RUN/perf_$side.data" -F period 2>/dev/null | wc -l)
  echo "name=profile_$side samples_2khz=$samples" | tee -a "$OUT"
  perf report -i "$RUN/perf_$side.data" --no-children --sort symbol --stdio \
    >"$RUN/perf_$side.report" 2>/dev/null
  awk '/%/ && n++ < 30' "$RUN/perf_$side.report" | cut -c1-150 \
    >"$RUN/perf_$side.txt"
done
echo "# end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee -a "$OUT"
