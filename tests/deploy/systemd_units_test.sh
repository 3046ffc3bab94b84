#!/usr/bin/env bash
# deploy/systemd/ checked the way systemd would load it:
#  1. the units, installed into a temporary directory with ExecStart
#     pointing at the built binaries (systemd-analyze checks that ExecStart
#     is executable), pass `systemd-analyze verify` without one message;
#  2. every flag line of the example environment files, commented ones
#     included, names only flags the binary knows.
# Usage: systemd_units_test.sh UNIT_DIR INGEST_BINARY QUERY_BINARY
set -euo pipefail

unit_dir=$1
ingest_binary=$2
query_binary=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

for unit in budget-ingest.service budget-query.service; do
  sed -e "s#/usr/local/bin/ingest_service#${ingest_binary}#" \
      -e "s#/usr/local/bin/query_service#${query_binary}#" \
      "${unit_dir}/${unit}" > "${work}/${unit}"
done
if ! grep -q "^ExecStart=${ingest_binary} " "${work}/budget-ingest.service" ||
   ! grep -q "^ExecStart=${query_binary} " "${work}/budget-query.service"; then
  echo "FAIL: ExecStart is not /usr/local/bin/{ingest,query}_service"
  failed=1
fi
# --man=no: Documentation= names man pages this machine may not have.
if ! systemd-analyze verify --man=no "${work}/budget-ingest.service" \
       "${work}/budget-query.service" > "${work}/verify.txt" 2>&1; then
  echo "FAIL: systemd-analyze verify exited non-zero"
  failed=1
fi
if [ -s "${work}/verify.txt" ]; then
  echo "FAIL: systemd-analyze verify reported:"
  cat "${work}/verify.txt"
  failed=1
fi

check_flags() {  # ENV_FILE VARIABLE BINARY
  local lines=0
  while IFS= read -r line; do
    lines=$((lines + 1))
    # --help exits non-zero in any case; an unknown flag prints ERROR.
    # shellcheck disable=SC2086  # systemd splits $VAR on spaces too.
    "$3" ${line#*=} --help > "${work}/flags.txt" 2>&1 || true
    if grep "ERROR" "${work}/flags.txt"; then
      echo "FAIL: $1: a flag above is unknown to $3"
      failed=1
    fi
  done < <(sed -n "s/^#\{0,1\}\($2=.*\)/\1/p" "$1")
  if [ "$lines" -lt 2 ]; then
    echo "FAIL: $1 has no $2 examples"
    failed=1
  fi
}
check_flags "${unit_dir}/ingest.env" INGEST_FLAGS "$ingest_binary"
check_flags "${unit_dir}/query.env" QUERY_FLAGS "$query_binary"

if [ "$failed" -eq 0 ]; then
  echo "PASS: units verified, example flags known"
fi
exit "$failed"
