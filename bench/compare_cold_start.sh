#!/bin/bash
# Compares how long two query_service builds take to load a store and
# serve it (a cold replica), in one window: each starts on the store a
# bench/run.sh left behind, in turn (ROUNDS rounds, alternated, so that the
# machine's other load weighs on both alike); a round ends when the service
# answers a read at the revision of a resubmission made just after it
# started (bench_visibility, as bench/run.sh's computed_startup). Prints the
# wall time, the service's CPU time (utime + stime, steadier than wall
# time on a loaded machine) and its resident memory then, per start, with
# each thread's CPU and when it was busy (sampled from /proc every 0.2 s:
# the applying store-tailer, the backlog-read and backlog-pack threads),
# then profiles one start of each with perf (cpu-clock samples, call
# graphs).
# DROP_CACHES=1 empties the page cache before each start (root only), as
# after a reboot: the store is then read from the disk.
# SETTLE=SECONDS waits that long before each start, so that the memory the
# last start freed has been handed back to the host (this VM reports free
# memory to it, and touching reported memory again is what a fresh host's
# start pays; a start right after another reuses the pages it freed).
# Not a pass/fail test.
#
#   bench/compare_cold_start.sh BEFORE_BINARY [SIZE] [STORE]
#
# BEFORE_BINARY: a query_service built from the commit to compare with;
# the other is build/bin/query_service. STORE defaults to the SQLite store
# of RUN (sqlite:RUN/budget.db); a postgresql:// URI works too. Results in
# RUN/cold_start.txt, the profiles' top symbols in
# RUN/perf_cold_{before,after}.txt.
set -euo pipefail

BEFORE=$1
SIZE=${2:-M}
BIN=${BIN:-build/bin}
RUN=${RUN:-build/bench-run/$SIZE}
STORE=${3:-sqlite:$RUN/budget.db}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-50170}  # PORT (ingest), PORT+1 (the query service started).
OUT=$RUN/cold_start.txt
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

# Up to five minutes: an ingest service opening the L store took 52-60 s on a
# loaded machine.
wait_listening() {
  for _ in $(seq 3000); do
    grep -q '^listening on' "$1" && return 0
    sleep 0.1
  done
  return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# sample_threads PID START_NS: every thread's name and CPU ticks, with the
# ms since START_NS, every 0.2 s until PID exits or the sampler is killed.
sample_threads() {
  while [[ -d /proc/$1 ]]; do
    cat /proc/"$1"/task/*/stat 2>/dev/null |
      awk -v ms=$((($(date +%s%N) - $2) / 1000000)) \
        '{print ms, $1, $2, $14 + $15}'
    sleep 0.2
  done
}
# thread_summary FILE: per thread with 0.1 s of CPU or more, in start
# order: name=CPU seconds@first-last ms in which it used CPU.
thread_summary() {
  awk -v hz="$ticks_per_second" '
    !($2 in cpu) { order[n++] = $2; cpu[$2] = $4 }
    $4 > cpu[$2] { if (!($2 in from)) from[$2] = $1; to[$2] = $1 }
    { cpu[$2] = $4; name[$2] = $3 }
    END {
      for (i = 0; i < n; i++) {
        t = order[i]
        if (cpu[t] / hz >= 0.1) {
          printf "%s%s=%.1fs@%d-%dms", sep, name[t], cpu[t] / hz, from[t], to[t]
          sep = " "
        }
      }
    }' "$1" | tr -d '()'
}

echo "# cold start date=$(date -Is) store=$STORE" \
  "load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee -a "$OUT"
"$BIN/ingest_service" --listen="127.0.0.1:$PORT" --store="$STORE" \
  --insecure >"$RUN/cold_ingest.log" 2>&1 &
PIDS+=("$!")
wait_listening "$RUN/cold_ingest.log"
ticks_per_second=$(getconf CLK_TCK)

# start SIDE [PERF_DATA]: one cold start of SIDE's binary, measured.
start() {
  local binary=$BIN/query_service log=$RUN/cold_$1.log start_ns pid ms cpu
  [[ $1 == before ]] && binary=$BEFORE
  local command=("$binary" --listen="127.0.0.1:$((PORT + 1))"
    --store="$STORE" --insecure --answer_cache_mb=0 --max_read_wait=30m)
  if [[ $# -gt 1 ]]; then
    command=(perf record -e cpu-clock -F 1000 -g -o "$2" -- "${command[@]}")
  fi
  if [[ ${DROP_CACHES:-0} == 1 ]]; then
    sync && echo 1 >/proc/sys/vm/drop_caches
  fi
  sleep "${SETTLE:-0}"
  start_ns=$(date +%s%N)
  "${command[@]}" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  local sampler threads=$RUN/cold_threads_$1.txt
  sample_threads "$pid" "$start_ns" >"$threads" &
  sampler=$!
  PIDS+=("$sampler")
  wait_listening "$log"
  "$BIN/bench_visibility" --ingest="127.0.0.1:$PORT" \
    --query="127.0.0.1:$((PORT + 1))" --size="$SIZE" --rounds=1 \
    --read_deadline=30m >/dev/null
  ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  if [[ $# -eq 1 ]]; then
    cpu=$(cpu_ticks "$pid")
    echo "name=cold_start_$1 ms=$ms cpu_ms=$(( cpu * 1000 / ticks_per_second ))" \
      "rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" \
      "load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee -a "$OUT"
    echo "  threads: $(thread_summary "$threads")" | tee -a "$OUT"
  fi
  kill -INT "$pid"
  wait "$pid" 2>/dev/null || true
}

for round in $(seq "$ROUNDS"); do
  start before
  start after
done
if [[ ${PROFILE:-1} == 1 ]]; then
  for side in before after; do
    start "$side" "$RUN/perf_cold_$side.data"
    perf report -i "$RUN/perf_cold_$side.data" --no-children --sort symbol \
      --stdio >"$RUN/perf_cold_$side.report" 2>/dev/null
    awk '/%/ && n++ < 40' "$RUN/perf_cold_$side.report" | cut -c1-150 \
      >"$RUN/perf_cold_$side.txt"
  done
fi
echo "# end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" | tee -a "$OUT"
