#!/bin/bash
# Runs every benchmark of issue 7 at one size, side by side in one run, and
# prints the results and their ratios (docs/benchmarks.md explains them).
#
#   bench/run.sh [S|M|L]        (default S; run from the repository root
#                                after building into build/)
#
# Starts ingest_service and query_service (with --bench_empty_service) on
# 127.0.0.1, loads the generated workload through the real API, then
# measures: the empty RPC, table 05 and the drilldown (one caller, then 2
# channels x 4 callers), SubmitBudget of 200-line budgets, resubmission
# visibility, the query service's resident memory; then the same two
# queries in SQLite (in process) and PostgreSQL (psql over TCP, a private
# cluster under the run directory, installed with apt-get if missing).
# Nothing here is a pass/fail test.
set -euo pipefail

SIZE=${1:-S}
BIN=${BIN:-build/bin}
RUN=${RUN:-build/bench-run/$SIZE}
DURATION=${DURATION:-3s}
WARMUP=${WARMUP:-1s}
INGEST=127.0.0.1:${INGEST_PORT:-50151}
QUERY=127.0.0.1:${QUERY_PORT:-50152}
# A second query service that keeps no built answers: every request is
# computed, which is what the SQL engines are compared with.
COMPUTED=127.0.0.1:${COMPUTED_PORT:-50153}
PG_PORT=${PG_PORT:-55432}
PG_BIN=/usr/lib/postgresql/15/bin
RESULTS=$RUN/results.txt

rm -rf "$RUN" && mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)
RESULTS=$RUN/results.txt
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f $RUN/pg/postmaster.pid ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$RUN/pg" -m fast stop >/dev/null || true
  fi
}
trap cleanup EXIT

note() { echo "$*" | tee -a "$RESULTS"; }

note "# size=$SIZE date=$(date -Is) nproc=$(nproc)" \
  "mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)" \
  "cpu=\"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\"" \
  "load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""

# --- The services, on one store. ---
"$BIN/ingest_service" --listen="$INGEST" --store="sqlite:$RUN/budget.db" --insecure \
  --bench_empty_service >"$RUN/ingest.log" 2>&1 &
PIDS+=($!)
"$BIN/query_service" --listen="$QUERY" --store="sqlite:$RUN/budget.db" --insecure \
  --bench_empty_service >"$RUN/query.log" 2>&1 &
QUERY_PID=$!
PIDS+=($QUERY_PID)
sleep 1
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$QUERY_PID/status"; }
RSS_EMPTY=$(rss_kb)

"$BIN/bench_populate" --ingest="$INGEST" --size="$SIZE" | tee -a "$RESULTS"
# The query service tails the store; wait until it holds the last budget.
"$BIN/bench_visibility" --ingest="$INGEST" --query="$QUERY" --size="$SIZE" \
  --rounds=1 --read_deadline=30m >/dev/null
LINES=$(awk '/name=populate/ {for (i = 1; i <= NF; i++) if ($i ~ /^lines=/) print substr($i, 7)}' "$RESULTS")
RSS_LOADED=$(rss_kb)
note "name=query_rss rss_empty_kb=$RSS_EMPTY rss_loaded_kb=$RSS_LOADED" \
  "bytes_per_line=$(( (RSS_LOADED - RSS_EMPTY) * 1024 / LINES ))" \
  "bytes_per_line_total=$(( RSS_LOADED * 1024 / LINES ))"

# --- gRPC: the empty RPC and the queries, against the same server. ---
load() {  # name rpc target channels in_flight
  "$BIN/bench_load" --name="$1" --rpc="$2" --target="$3" --size="$SIZE" \
    --channels="$4" --in_flight="$5" --warmup="$WARMUP" \
    --duration="$DURATION" | tee -a "$RESULTS"
}
for shape in "1 1" "2 4"; do
  set -- $shape
  tag="c$1x$2"
  load "ping_$tag" ping "$QUERY" "$1" "$2"
  load "table05_$tag" table "$QUERY" "$1" "$2"
  load "drilldown_$tag" aggregate "$QUERY" "$1" "$2"
done

# --- Computed answers: a query service started now, on the loaded store. ---
START_NS=$(date +%s%N)
"$BIN/query_service" --listen="$COMPUTED" --store="sqlite:$RUN/budget.db" --insecure \
  --answer_cache_mb=0 >"$RUN/computed.log" 2>&1 &
PIDS+=($!)
"$BIN/bench_visibility" --ingest="$INGEST" --query="$COMPUTED" --size="$SIZE" \
  --rounds=1 --read_deadline=30m >/dev/null
note "name=computed_startup ms=$(( ($(date +%s%N) - START_NS) / 1000000 ))"
load table05_computed_c1x1 table "$COMPUTED" 1 1
load drilldown_computed_c1x1 aggregate "$COMPUTED" 1 1

load ping_ingest_c2x4 ping "$INGEST" 2 4
load submit_c2x4 submit "$INGEST" 2 4
"$BIN/bench_visibility" --ingest="$INGEST" --query="$QUERY" --size="$SIZE" \
  --rounds=30 | tee -a "$RESULTS"

# --- The same queries in SQLite and PostgreSQL, on the same lines. ---
"$BIN/bench_gen" --size="$SIZE" --lines_csv="$RUN/lines.csv" \
  --units="$RUN/units.units"
sqlite3 "$RUN/lines.sqlite" <<SQL
.read bench/sql/schema.sql
.mode csv
.import $RUN/lines.csv lines
.read bench/sql/index.sql
SQL
for query in table05 drilldown; do
  "$BIN/bench_sqlite" --db="$RUN/lines.sqlite" --name="sqlite_$query" \
    --sql="bench/sql/${query}_sqlite.sql" --repeat=20 | tee -a "$RESULTS"
done

if [[ ! -x $PG_BIN/initdb ]]; then
  apt-get install -y postgresql >/dev/null
fi
mkdir -p "$RUN/pg" && chown postgres "$RUN/pg" && chmod o+rx "$RUN"
runuser -u postgres -- "$PG_BIN/initdb" -D "$RUN/pg" -A trust -U bench \
  >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$RUN/pg" -l "$RUN/pg/log" -w \
  -o "-p $PG_PORT -k $RUN/pg -c listen_addresses=127.0.0.1" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U bench -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -f bench/sql/schema.sql
"${PSQL[@]}" -c "\\copy lines FROM '$RUN/lines.csv' WITH (FORMAT csv, FORCE_NOT_NULL (project))"
"${PSQL[@]}" -f bench/sql/index.sql
for query in table05 drilldown; do
  # One untimed run, then 20 timed ones; psql's \timing is the round trip
  # over TCP, as bench_load's latencies are.
  {
    echo '\o /dev/null'
    cat "bench/sql/${query}_postgres.sql"
    echo '\timing on'
    for _ in $(seq 20); do cat "bench/sql/${query}_postgres.sql"; done
  } | "${PSQL[@]}" | awk '/^Time:/ { print $2 * 1000 }' | sort -n |
    awk -v name="postgres_$query" '
      { t[++n] = $1 }
      END {
        printf "name=%s calls=%d p50_us=%.1f p90_us=%.1f max_us=%.1f\n",
               name, n, t[int(n * 0.5) + 1], t[int(n * 0.9) + 1], t[n]
      }' | tee -a "$RESULTS"
done

# --- Ratios, side by side from this run. ---
awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[substr($1, 6) "." kv[1]] = kv[2] } }
  END {
    printf "ratio table05_p50/ping_p50 (1x1) = %.2f\n", v["table05_c1x1.p50_us"] / v["ping_c1x1.p50_us"]
    printf "ratio table05_p50/ping_p50 (2x4) = %.2f\n", v["table05_c2x4.p50_us"] / v["ping_c2x4.p50_us"]
    printf "ratio table05_qps/ping_qps (2x4) = %.3f\n", v["table05_c2x4.per_second"] / v["ping_c2x4.per_second"]
    printf "ratio drilldown_qps/ping_qps (2x4) = %.3f\n", v["drilldown_c2x4.per_second"] / v["ping_c2x4.per_second"]
    split("table05 drilldown", qs, " ")
    for (i = 1; i <= 2; i++) {
      q = qs[i]
      printf "ratio postgres/service %s p50 computed = %.2f cached = %.2f\n", q, v["postgres_" q ".p50_us"] / v[q "_computed_c1x1.p50_us"], v["postgres_" q ".p50_us"] / v[q "_c1x1.p50_us"]
      printf "ratio sqlite/service %s p50 computed = %.2f cached = %.2f\n", q, v["sqlite_" q ".p50_us"] / v[q "_computed_c1x1.p50_us"], v["sqlite_" q ".p50_us"] / v[q "_c1x1.p50_us"]
    }
    printf "submit per_second = %.1f (target 2000)\n", v["submit_c2x4.per_second"]
    printf "visibility p50_ms = %.1f p99_ms = %.1f (target 50)\n", v["visibility.p50_us"] / 1000, v["visibility.p99_us"] / 1000
    printf "query bytes per line = %d (target 64)\n", v["query_rss.bytes_per_line"]
  }' "$RESULTS" | tee -a "$RESULTS"
note "# end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
