# Sourced by the bench/compare_*.sh scripts: the services they start are
# stopped on exit (add their pids to PIDS), and what they read of them.

PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

# Up to a minute for each service to say it listens (a loaded machine).
wait_listening() {
  timeout 60 bash -c "until grep -q '^listening on' '$1'; do sleep 0.1; done"
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
# Calls the script's `measure before` and `measure after`, ROUNDS times.
alternate() {
  for _ in $(seq "$ROUNDS"); do
    measure before
    measure after
  done
}
