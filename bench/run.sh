#!/bin/bash
# Runs every benchmark of issue 7 at one size, side by side in one run, and
# prints the results and their ratios (docs/benchmarks.md explains them).
#
#   bench/run.sh [S|M|L] [STORES]   (default S; run from the repository
#                                    root after building into build/)
#
# STORES (default sqlite,postgresql) names the stores the services run on,
# one after the other in the same run: sqlite (a file in the run
# directory) and postgresql (a database on the run's private cluster,
# migrated with ingest_service --migrate; durable commits, the defaults).
# The PostgreSQL store's results are named pg_*.
#
# Starts ingest_service and query_service (with --bench_empty_service) on
# 127.0.0.1, loads the generated workload through the real API, then
# measures: the empty RPC (sync, callback and raw-bytes server APIs),
# table 05 and the drilldown (one caller, then 2 channels x 4 callers),
# SubmitBudget of 200-line budgets (unary and on the SubmitBudgets stream),
# with the verdict against 2,000/s for each store, resubmission
# visibility, the query service's resident memory; then the same two
# queries in SQLite (in process) and PostgreSQL (psql over TCP, a private
# cluster under the run directory, installed with apt-get if missing).
# Nothing here is a pass/fail test.
set -euo pipefail

SIZE=${1:-S}
STORES=${2:-sqlite,postgresql}
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

load() {  # name rpc target channels in_flight
  "$BIN/bench_load" --name="$1" --rpc="$2" --target="$3" --size="$SIZE" \
    --channels="$4" --in_flight="$5" --warmup="$WARMUP" \
    --duration="$DURATION" | tee -a "$RESULTS"
}

# --- The services on one store, loaded and measured. ---
# services_on STORE_SPEC PREFIX: every measurement of the services with
# STORE_SPEC as --store, each result named PREFIX + its name (the SQLite
# store's names carry no prefix). Stops the services at the end.
services_on() {
  local store=$1 p=$2 pids=()
  "$BIN/ingest_service" --listen="$INGEST" --store="$store" --insecure \
    --bench_empty_service >"$RUN/${p}ingest.log" 2>&1 &
  pids+=("$!")
  "$BIN/query_service" --listen="$QUERY" --store="$store" --insecure \
    --bench_empty_service >"$RUN/${p}query.log" 2>&1 &
  QUERY_PID=$!
  pids+=("$QUERY_PID")
  PIDS+=("${pids[@]}")
  wait_listening "$RUN/${p}ingest.log"
  wait_listening "$RUN/${p}query.log"
  local rss_empty lines rss_loaded start_ns
  rss_empty=$(rss_kb)

  "$BIN/bench_populate" --ingest="$INGEST" --size="$SIZE" |
    sed "s/^name=/name=$p/" | tee -a "$RESULTS"
  # The query service tails the store; wait until it holds the last budget.
  "$BIN/bench_visibility" --ingest="$INGEST" --query="$QUERY" --size="$SIZE" \
    --rounds=1 --read_deadline=30m >/dev/null
  lines=$(awk -v n="name=${p}populate" '$1 == n {for (i = 1; i <= NF; i++) if ($i ~ /^lines=/) print substr($i, 7)}' "$RESULTS")
  rss_loaded=$(rss_kb)
  note "name=${p}query_rss rss_empty_kb=$rss_empty rss_loaded_kb=$rss_loaded" \
    "bytes_per_line=$(( (rss_loaded - rss_empty) * 1024 / lines ))" \
    "bytes_per_line_total=$(( rss_loaded * 1024 / lines ))"
  # Before the submit benchmark adds revisions: one revision per budget.
  local bytes
  bytes=$(store_bytes "$store")
  note "name=${p}store_size bytes=$bytes bytes_per_line=$(( bytes / lines ))"

  # gRPC: the empty RPC and the queries, against the same server.
  for shape in "1 1" "2 4"; do
    set -- $shape
    tag="c$1x$2"
    # The empty RPC on each server API: sync (earlier rounds' baseline),
    # callback (the query service's API: the baseline) and raw bytes.
    load "${p}ping_$tag" ping "$QUERY" "$1" "$2"
    load "${p}ping_callback_$tag" ping_callback "$QUERY" "$1" "$2"
    load "${p}ping_raw_$tag" ping_raw "$QUERY" "$1" "$2"
    load "${p}table05_$tag" table "$QUERY" "$1" "$2"
    load "${p}drilldown_$tag" aggregate "$QUERY" "$1" "$2"
  done

  # Computed answers: a query service started now, on the loaded store;
  # the time until it holds the last budget is a new replica's catch-up.
  start_ns=$(date +%s%N)
  "$BIN/query_service" --listen="$COMPUTED" --store="$store" --insecure \
    --answer_cache_mb=0 >"$RUN/${p}computed.log" 2>&1 &
  pids+=("$!")
  PIDS+=("$!")
  wait_listening "$RUN/${p}computed.log"
  "$BIN/bench_visibility" --ingest="$INGEST" --query="$COMPUTED" --size="$SIZE" \
    --rounds=1 --read_deadline=30m >/dev/null
  note "name=${p}computed_startup ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))"
  load "${p}table05_computed_c1x1" table "$COMPUTED" 1 1
  load "${p}drilldown_computed_c1x1" aggregate "$COMPUTED" 1 1

  load "${p}ping_ingest_c2x4" ping "$INGEST" 2 4
  load "${p}submit_c2x4" submit "$INGEST" 2 4
  # The same budgets on the bidi SubmitBudgets stream, one stream per caller.
  load "${p}submit_stream_c2x4" submit_stream "$INGEST" 2 4
  "$BIN/bench_visibility" --ingest="$INGEST" --query="$QUERY" --size="$SIZE" \
    --rounds=30 | sed "s/^name=/name=$p/" | tee -a "$RESULTS"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
# Waits until the service logging to LOG printed "listening on" (a loaded
# machine may take seconds to start it).
wait_listening() {
  for _ in $(seq 600); do
    grep -q '^listening on' "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench/run.sh: $1 never says it is listening" >&2
  return 1
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$QUERY_PID/status"; }
# The bytes a store takes: the SQLite file and its WAL, or the database.
store_bytes() {
  case $1 in
    sqlite:*) du -cb "${1#sqlite:}"* | awk 'END {print $1}' ;;
    *) "${PSQL[@]}" -At -c "SELECT pg_database_size('budget_store')" ;;
  esac
}

if [[ $STORES == *sqlite* ]]; then
  services_on "sqlite:$RUN/budget.db" ""
fi

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

# --- The services on PostgreSQL, on the same cluster. ---
if [[ $STORES == *postgresql* ]]; then
  "${PSQL[@]}" -c "CREATE DATABASE budget_store"
  PG_STORE="postgresql://bench@127.0.0.1:$PG_PORT/budget_store"
  "$BIN/ingest_service" --store="$PG_STORE" --migrate
  services_on "$PG_STORE" pg_
fi

# --- Ratios, side by side from this run. ---
awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[substr($1, 6) "." kv[1]] = kv[2] } }
  END {
    # Against the callback-API empty RPC (the baseline, target table 05
    # p50 <= 1.5x and throughput >= 70 %), then the sync and raw-bytes
    # ones beside it for history and reference.
    printf "ratio table05_p50/ping_callback_p50 (1x1) = %.2f (target <= 1.5)\n", v["table05_c1x1.p50_us"] / v["ping_callback_c1x1.p50_us"]
    printf "ratio table05_qps/ping_callback_qps (2x4) = %.3f (target >= 0.7)\n", v["table05_c2x4.per_second"] / v["ping_callback_c2x4.per_second"]
    printf "ratio table05_p50/ping_callback_p50 (2x4) = %.2f\n", v["table05_c2x4.p50_us"] / v["ping_callback_c2x4.p50_us"]
    printf "ratio drilldown_qps/ping_callback_qps (2x4) = %.3f\n", v["drilldown_c2x4.per_second"] / v["ping_callback_c2x4.per_second"]
    for (j = 1; j <= 2; j++) {
      b = j == 1 ? "ping" : "ping_raw"
      printf "ratio table05_p50/%s_p50 (1x1) = %.2f\n", b, v["table05_c1x1.p50_us"] / v[b "_c1x1.p50_us"]
      printf "ratio table05_qps/%s_qps (2x4) = %.3f\n", b, v["table05_c2x4.per_second"] / v[b "_c2x4.per_second"]
    }
    split("table05 drilldown", qs, " ")
    for (i = 1; i <= 2; i++) {
      q = qs[i]
      printf "ratio postgres/service %s p50 computed = %.2f cached = %.2f\n", q, v["postgres_" q ".p50_us"] / v[q "_computed_c1x1.p50_us"], v["postgres_" q ".p50_us"] / v[q "_c1x1.p50_us"]
      printf "ratio sqlite/service %s p50 computed = %.2f cached = %.2f\n", q, v["sqlite_" q ".p50_us"] / v[q "_computed_c1x1.p50_us"], v["sqlite_" q ".p50_us"] / v[q "_c1x1.p50_us"]
    }
    # Durable ingest, unary and stream, on each store measured.
    stores[1] = ""; stores[2] = "pg_"
    for (j = 1; j <= 2; j++) {
      st = stores[j]
      if (!((st "submit_c2x4.per_second") in v)) continue
      for (k = 1; k <= 2; k++) {
        r = st (k == 1 ? "submit" : "submit_stream") "_c2x4"
        if (!((r ".per_second") in v)) continue
        printf "%s per_second = %.1f (target 2000) %s\n", r, v[r ".per_second"], (v[r ".per_second"] >= 2000 ? "met" : "missed")
      }
    }
    printf "visibility p50_ms = %.1f p99_ms = %.1f (target 50)\n", v["visibility.p50_us"] / 1000, v["visibility.p99_us"] / 1000
    printf "query bytes per line = %d (target 64)\n", v["query_rss.bytes_per_line"]
    if ("pg_populate.lines" in v) {
      printf "store sqlite | postgresql: submit 2x4 per_second = %.1f | %.1f\n", v["submit_c2x4.per_second"], v["pg_submit_c2x4.per_second"]
      printf "store sqlite | postgresql: populate budgets_per_second = %.1f | %.1f\n", v["populate.budgets_per_second"], v["pg_populate.budgets_per_second"]
      printf "store sqlite | postgresql: new replica catch-up ms = %d | %d\n", v["computed_startup.ms"], v["pg_computed_startup.ms"]
      printf "store sqlite | postgresql: table05 p50_us 1x1 cached = %.1f | %.1f computed = %.1f | %.1f\n", v["table05_c1x1.p50_us"], v["pg_table05_c1x1.p50_us"], v["table05_computed_c1x1.p50_us"], v["pg_table05_computed_c1x1.p50_us"]
      printf "store sqlite | postgresql: visibility p50_ms = %.1f | %.1f\n", v["visibility.p50_us"] / 1000, v["pg_visibility.p50_us"] / 1000
      printf "store sqlite | postgresql: store bytes per line = %d | %d\n", v["store_size.bytes_per_line"], v["pg_store_size.bytes_per_line"]
    }
  }' "$RESULTS" | tee -a "$RESULTS"
note "# end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
