#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (Debian's postgresql-15):
#   pg_cluster.sh start STATE_DIR   initdb into a new temporary directory,
#                                   start it on a Unix socket only (no TCP
#                                   port, so parallel runs never collide) and
#                                   write STATE_DIR/base_uri and
#                                   STATE_DIR/data_dir;
#   pg_cluster.sh stop STATE_DIR    stop it and remove its directory;
#   pg_cluster.sh pause STATE_DIR   stop the server (pg_ctl stop -m fast),
#                                   keeping its data, as in an outage;
#   pg_cluster.sh resume STATE_DIR  start it again on the same data.
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` system user the package creates. The superuser is `postgres`,
# trusted on the socket (the directory is private to the run).
set -euo pipefail

bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
action=${1:?usage: pg_cluster.sh start|stop|pause|resume STATE_DIR}
state=${2:?usage: pg_cluster.sh start|stop|pause|resume STATE_DIR}

as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  [ -f "$state/data_dir" ] || return 0
  local dir
  dir=$(cat "$state/data_dir")
  if [ -d "$dir/data" ]; then
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rm -f "$state/data_dir" "$state/base_uri"
}

# Starts the server of data directory $1/data with the tests' settings.
serve() {
  local dir=$1
  # Durable commits as in production (the defaults, stated); small
  # buffers, many connections: every e2e test starts two services.
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' \
        -c port=5432 -c fsync=on -c synchronous_commit=on \
        -c max_connections=300 -c shared_buffers=32MB" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
}

case "$action" in
  start)
    mkdir -p "$state"
    stop  # A cluster left by an interrupted run.
    dir=$(mktemp -d /tmp/budget-pg.XXXXXX)
    echo "$dir" >"$state/data_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    serve "$dir"
    echo "postgresql:///postgres?host=$dir&port=5432&user=postgres" \
      >"$state/base_uri"
    ;;
  stop) stop ;;
  pause)
    as_server "$bin/pg_ctl" -D "$(cat "$state/data_dir")/data" -m fast -w \
      stop >/dev/null ;;
  resume) serve "$(cat "$state/data_dir")" ;;
  *) echo "usage: pg_cluster.sh start|stop|pause|resume STATE_DIR" >&2; exit 2 ;;
esac
