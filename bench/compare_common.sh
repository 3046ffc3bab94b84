# Sourced by the bench/compare_*.sh scripts: the services they start are
# stopped on exit (add their pids to PIDS), and what they read of them.

PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

# Up to LISTEN_WAIT seconds (60) for each service to say it listens (a
# loaded machine; an ingest service opening a loaded L store loads it).
wait_listening() {
  timeout "${LISTEN_WAIT:-60}" \
    bash -c "until grep -q '^listening on' '$1'; do sleep 0.1; done"
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# The CPU time (utime + stime) process $1 has used, in ms.
cpu_ms() {
  awk -v k="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / k)}' \
    "/proc/$1/stat"
}
# stop_services DIR PID...: stops the services, removes their run directory.
stop_services() {
  local dir=$1
  shift
  kill -INT "$@"
  wait "$@" 2>/dev/null || true
  rm -rf "$dir"
}
