#!/usr/bin/env bash
# Runs the budget services on this machine: installs what is missing, builds
# into build/, starts the ingest service (127.0.0.1:50051) and the query
# service (127.0.0.1:50052) on the embedded store var/budget.db, loads the
# reference department 021 郑州市工业和信息化局 (fixtures/zhengzhou-iit:
# registry, 2023 and 2024) when the store is empty, prints table 01 and the
# summary, and serves until Ctrl-C.
#
#   ./deploy/local/run.sh          serve until Ctrl-C
#   ./deploy/local/run.sh --demo   the same, but stop after printing
#
# Logs: var/ingest_service.log, var/query_service.log. Both services stop cleanly (SIGTERM,
# then the script waits for them) on Ctrl-C and at the end of --demo.
set -euo pipefail
cd "$(dirname "$0")/../.."

demo=false
case "${1:-}" in
  --demo) demo=true ;;
  "") ;;
  *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
esac

readonly ingest_address=127.0.0.1:50051
readonly query_address=127.0.0.1:50052
readonly store=var/budget.db
readonly fixtures=fixtures/zhengzhou-iit
readonly budgetctl=build/bin/budgetctl

port_in_use() {
  # Connecting succeeds only when something listens on the port.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in 50051 50052; do
  if port_in_use "$port"; then
    echo "port $port is already in use on 127.0.0.1." >&2
    echo "  next: stop what listens there (ss -ltnp 'sport = :$port' shows it), then run $0 again" >&2
    exit 1
  fi
done

./tools/install_deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build --target ingest_service query_service budgetctl

mkdir -p var
pids=()
stop_services() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo "stopping the services"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_services EXIT
trap 'exit 130' INT TERM

# Starts a service and waits for its "listening on" line in its log.
start_service() {
  local name=$1 address=$2 log=var/$1.log
  : >"$log"
  "build/bin/$name" --listen="$address" --store="sqlite:$store" --insecure \
    >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if grep -q "^listening on" "$log"; then
      echo "$name listening on $address (log: $log)"
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$log" >&2
  echo "  next: read $log above; a port taken meanwhile or a damaged $store are the usual causes" >&2
  exit 1
}

store_was_empty=false
if [ ! -s "$store" ]; then store_was_empty=true; fi
start_service ingest_service "$ingest_address"
start_service query_service "$query_address"

# Reads must wait for the query service to have applied what was loaded:
# the highest consolidated revision the submissions reported.
min_revision=0
if $store_was_empty; then
  echo "loading the reference department from $fixtures"
  "$budgetctl" units import "$fixtures/units.units"
  submitted=$("$budgetctl" submit "$fixtures"/2023/*.budget "$fixtures"/2024/*.budget)
  echo "$submitted"
  min_revision=$(echo "$submitted" | sed -n 's/.*consolidated revision \([0-9]*\).*/\1/p' | sort -n | tail -1)
fi

"$budgetctl" table T01 --unit 021 --year 2024 --min-revision "$min_revision"
echo
"$budgetctl" summary --unit 021 --year 2024 --min-revision "$min_revision"

if $demo; then
  exit 0
fi
echo
echo "serving: ingest $ingest_address, query $query_address; press Ctrl-C to stop"
wait "${pids[@]}"
