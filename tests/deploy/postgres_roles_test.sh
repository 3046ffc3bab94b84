#!/usr/bin/env bash
# deploy/postgres/ on the throwaway test cluster (tests/testing/
# pg_cluster.sh): roles.sql as the superuser, `ingest_service --migrate` as
# budget_owner, grants.sql as budget_owner, then what each role may do:
#   budget_query   reads every table and appends audit records, and cannot
#                  write budgets, units, reviews, locks or totals, delete,
#                  rewrite an audit record or create a table;
#   budget_ingest  writes budgets, units, reviews, locks and totals and
#                  appends audit records, and cannot delete, rewrite an
#                  audit record, touch schema_version or create a table.
# Then, on a second database set up the same way, the real services run
# with those roles: ingest_service as budget_ingest registers the reference
# department and stores its budgets (audited), query_service as
# budget_query follows the store and serves table 05.
# The cluster trusts its Unix socket, so no passwords are involved.
# Usage: postgres_roles_test.sh CLUSTER_STATE_DIR DEPLOY_POSTGRES_DIR
#            INGEST_BINARY QUERY_BINARY BUDGETCTL_BINARY FIXTURE_DIR
set -euo pipefail

state=$1
deploy=$2
ingest_binary=$3
query_binary=$4
budgetctl=$5
fixtures=$6
base_uri=$(cat "${state}/base_uri")  # postgresql:///postgres?host=DIR&...
query=${base_uri#*\?}
db=budget_roles_test_$$
served_db=budget_roles_served_$$
uri_as() { echo "postgresql:///${2:-$db}?${query/user=postgres/user=$1}"; }
work=$(mktemp -d)
failed=0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for name in "$db" "$served_db"; do
    psql -q "$base_uri" -c "DROP DATABASE IF EXISTS ${name}" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

set_up() {  # DATABASE: roles.sql (twice: it must be idempotent), migrate, grants
  for _ in 1 2; do
    psql -q -X -v ON_ERROR_STOP=1 -v db="$1" "$base_uri" \
      -f "${deploy}/roles.sql" >/dev/null
  done
  "$ingest_binary" --store="$(uri_as budget_owner "$1")" --migrate
  psql -q -X -v ON_ERROR_STOP=1 "$(uri_as budget_owner "$1")" \
    -f "${deploy}/grants.sql" >/dev/null
}
set_up "$db"
set_up "$served_db"

run_as() {  # ROLE SQL: exit status of psql, its stderr in $work/err
  psql -q -X -v ON_ERROR_STOP=1 "$(uri_as "$1")" -c "$2" \
    >/dev/null 2>"${work}/err"
}
allowed() {  # ROLE SQL
  if ! run_as "$1" "$2"; then
    echo "FAIL: $1 may not: $2"
    cat "${work}/err"
    failed=1
  fi
}
denied() {  # ROLE SQL
  if run_as "$1" "$2"; then
    echo "FAIL: $1 may: $2"
    failed=1
  elif ! grep -q "permission denied" "${work}/err"; then
    echo "FAIL: $1 refused for another reason: $2"
    cat "${work}/err"
    failed=1
  fi
}

unit="INSERT INTO units VALUES (1, '4101', '', '测试', 1)"
submission="INSERT INTO submissions VALUES (1, '4101', 2024, 1, 'r1', '', \
'w', 0, '', '')"
audit="INSERT INTO audit_records VALUES (1, 'p', 'GetTable', '4101', 2024, \
'', 'PERMISSION_DENIED', 0, '', '')"
head_row="INSERT INTO audit_head VALUES (1, 1, '') ON CONFLICT (id) DO \
UPDATE SET sequence = excluded.sequence, hash = excluded.hash"

# The writer stores a unit and a budget, totals, a review and a lock.
allowed budget_ingest "$unit"
allowed budget_ingest "$submission"
allowed budget_ingest "INSERT INTO node_totals VALUES ('4101', 2024, 1, 1, 1) \
ON CONFLICT (node_code, fiscal_year) DO UPDATE SET income_fen = 2"
allowed budget_ingest "INSERT INTO reviews VALUES (1, '4101', 2024, 1, 1, '', \
'r', 0)"
allowed budget_ingest "INSERT INTO locks VALUES ('4101', 2024, 'r', 0, 1)"
allowed budget_ingest "UPDATE node_totals SET expenditure_fen = 3"
allowed budget_ingest "$audit"
allowed budget_ingest "$head_row"
allowed budget_ingest "SELECT * FROM audit_head FOR UPDATE"
denied budget_ingest "DELETE FROM submissions"
denied budget_ingest "UPDATE audit_records SET outcome = 'OK'"
denied budget_ingest "DELETE FROM audit_records"
denied budget_ingest "INSERT INTO schema_version VALUES (99, 'x')"
denied budget_ingest "CREATE TABLE extra (x int)"
denied budget_ingest "TRUNCATE submissions"

# The query role reads everything and appends to the audit trail only.
for table in units submissions node_totals reviews locks audit_records \
             audit_head schema_version; do
  allowed budget_query "SELECT count(*) FROM ${table}"
done
allowed budget_query "INSERT INTO audit_records VALUES (2, 'p', 'GetTable', \
'4101', 2024, '', 'PERMISSION_DENIED', 0, '', '')"
allowed budget_query "UPDATE audit_head SET sequence = 2"
allowed budget_query "SELECT * FROM audit_head FOR UPDATE"
denied budget_query "INSERT INTO submissions VALUES (2, '4101', 2024, 2, 'r2', \
'', 'w', 0, '', '')"
denied budget_query "UPDATE submissions SET submitted_by = 'x'"
denied budget_query "INSERT INTO units VALUES (2, '4102', '', 'x', 1)"
denied budget_query "UPDATE node_totals SET income_fen = 0"
denied budget_query "INSERT INTO reviews VALUES (2, '4101', 2024, 1, 1, '', \
'r', 0)"
denied budget_query "INSERT INTO locks VALUES ('4102', 2024, 'r', 0, 1)"
denied budget_query "DELETE FROM units"
denied budget_query "UPDATE audit_records SET outcome = 'OK'"
denied budget_query "DELETE FROM audit_records"
denied budget_query "CREATE TABLE extra (x int)"

# Every table the migrations made is covered: the query role can write
# none but the two audit tables.
writable=$(psql -X -A -t -v ON_ERROR_STOP=1 "$(uri_as budget_owner)" -c "\
SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c \
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' \
AND c.relkind = 'r' AND (has_table_privilege('budget_query', c.oid, \
'INSERT') OR has_table_privilege('budget_query', c.oid, 'UPDATE') OR \
has_table_privilege('budget_query', c.oid, 'DELETE'))")
if [ "$writable" != "audit_head,audit_records" ]; then
  echo "FAIL: budget_query may write: ${writable}"
  failed=1
fi

# The services themselves, with the deployment's roles.
start() {  # NAME BINARY ROLE: starts it, sets $address from its first line
  "$2" --store="$(uri_as "$3" "$served_db")" --insecure \
    --listen=127.0.0.1:0 --shutdown_grace=1s >"${work}/$1.out" \
    2>"${work}/$1.err" &
  pids+=("$!")
  address=
  for _ in $(seq 300); do
    address=$(sed -n 's/^listening on //p' "${work}/$1.out")
    [ -n "$address" ] && return 0
    sleep 0.1
  done
  echo "FAIL: $1 did not start:"
  cat "${work}/$1.err"
  failed=1
  return 1
}
if start ingest "$ingest_binary" budget_ingest; then
  ingest=$address
  if ! "$budgetctl" --ingest "$ingest" units import "${fixtures}/units.units" \
         >"${work}/ctl.txt" 2>&1 ||
     ! "$budgetctl" --ingest "$ingest" submit "${fixtures}"/2024/*.budget \
         >>"${work}/ctl.txt" 2>&1; then
    echo "FAIL: budget_ingest cannot register units or store budgets:"
    cat "${work}/ctl.txt" "${work}/ingest.err"
    failed=1
  fi
  audited=$(psql -X -A -t "$(uri_as budget_owner "$served_db")" \
    -c "SELECT count(*) FROM audit_records")
  if [ "$audited" -lt 7 ]; then  # Six budgets and the units.
    echo "FAIL: budget_ingest appended ${audited} audit records"
    failed=1
  fi
fi
if start query "$query_binary" budget_query; then
  served=0
  # Until it has caught up with the store (bounded).
  for _ in $(seq 100); do
    if "$budgetctl" --query "$address" table T05 --unit 021 --year 2024 \
         >"${work}/table.txt" 2>&1; then
      served=1
      break
    fi
    sleep 0.1
  done
  if [ "$served" -ne 1 ] || ! grep -q "2150" "${work}/table.txt"; then
    echo "FAIL: query_service as budget_query did not serve table 05:"
    cat "${work}/table.txt" "${work}/query.err"
    failed=1
  fi
fi

if [ "$failed" -eq 0 ]; then
  echo "PASS: roles and grants as documented"
fi
exit "$failed"
