#!/usr/bin/env bash
# deploy/postgres/ on the throwaway test cluster (tests/testing/
# pg_cluster.sh): roles.sql as the superuser, `ingest_service --migrate` as
# budget_owner, grants.sql as budget_owner, then what each role may do:
#   budget_query   reads every table and queues audit records through
#                  queue_audit_records() only, and cannot chain them
#                  (audit_anchor(), append_audit_records(): the audit lock
#                  they take would stop the writer), write any table, take
#                  an advisory lock itself (the writer's locks, its lease),
#                  delete or create a table;
#   budget_ingest  adds budgets, units, reviews and locks, updates totals
#                  and its lease, takes the writer's advisory locks,
#                  appends audit records through audit_anchor() and
#                  append_audit_records() and takes queued ones through
#                  take_queued_audit_records(), and cannot update a stored
#                  budget (or any other row but totals and lease), delete,
#                  write the audit tables or the queue, touch
#                  schema_version or create a table.
# Then, on a second database set up the same way, the real services run
# with those roles: ingest_service as budget_ingest registers the reference
# department and stores its budgets (audited) while two budget_query
# sessions keep transactions open, one after queueing a record and one
# after trying audit_anchor(); query_service as budget_query follows the
# store and serves table 05, and one with a principals file audits the
# call it refuses; the ingest service chains what they queued, and the
# audit chain verifies (recomputed here in SQL, as auth::AuditHash).
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
refused() {  # ROLE ERROR SQL: fails with ERROR (a grep pattern)
  if run_as "$1" "$3"; then
    echo "FAIL: $1 may: $3"
    failed=1
  elif ! grep -q "$2" "${work}/err"; then
    echo "FAIL: $1 refused for another reason than \"$2\": $3"
    cat "${work}/err"
    failed=1
  fi
}
denied() {  # ROLE SQL
  refused "$1" "permission denied" "$2"
}

unit="INSERT INTO units VALUES (1, '4101', '', '测试', 1)"
submission="INSERT INTO submissions VALUES (1, '4101', 2024, 1, 'r1', '', \
'w', 0, '', '')"
audit="INSERT INTO audit_records VALUES (1, 'p', 'GetTable', '4101', 2024, \
'', 'PERMISSION_DENIED', 0, '', '')"
head_row="INSERT INTO audit_head VALUES (1, 1, '') ON CONFLICT (id) DO \
UPDATE SET sequence = excluded.sequence, hash = excluded.hash"
append() {  # SEQUENCE PREVIOUS_HASH_HEX: append_audit_records of one record
  echo "SELECT append_audit_records(ARRAY[$1]::bigint[], '{p}', \
'{GetTable}', '{4101}', '{2024}', '{\"\"}', '{PERMISSION_DENIED}', '{0}', \
ARRAY['\\x$2'::bytea], ARRAY['\\x0$1'::bytea])"
}
genesis=$(printf '0%.0s' $(seq 64))
queue() {  # PRINCIPAL: queue_audit_records of one refused call, now
  echo "SELECT queue_audit_records('{$1}', '{GetSummary}', '{021}', \
'{2024}', '{\"\"}', '{PERMISSION_DENIED}', \
ARRAY[(extract(epoch FROM clock_timestamp()) * 1000000)::bigint])"
}
queued="INSERT INTO audit_inbox (principal, method, node_code, fiscal_year, \
request_id, outcome, time_us) VALUES ('p', 'GetTable', '', 0, '', 'OK', 0)"
# The store's advisory lock keys: write lock, audit lock, writer lease.
write_key="x'62756467657477'::bigint"
audit_key="x'62756467657461'::bigint"
lease_key="x'62756467'::bigint"

# The writer stores a unit and a budget, totals, a review and a lock.
allowed budget_ingest "$unit"
allowed budget_ingest "$submission"
allowed budget_ingest "INSERT INTO node_totals VALUES ('4101', 2024, 1, 1, 1) \
ON CONFLICT (node_code, fiscal_year) DO UPDATE SET income_fen = 2"
allowed budget_ingest "INSERT INTO reviews VALUES (1, '4101', 2024, 1, 1, '', \
'r', 0)"
allowed budget_ingest "INSERT INTO locks VALUES ('4101', 2024, 'r', 0, 1)"
allowed budget_ingest "UPDATE node_totals SET expenditure_fen = 3"
allowed budget_ingest "SELECT epoch FROM writer_lease WHERE id = 1 FOR SHARE"
allowed budget_ingest "UPDATE writer_lease SET epoch = epoch"
allowed budget_ingest "SELECT pg_advisory_xact_lock(${write_key}), \
pg_advisory_xact_lock(${audit_key})"
allowed budget_ingest "SELECT pg_try_advisory_lock(${lease_key}), \
pg_advisory_unlock(${lease_key})"
# It appends audit records through the functions only, after the head.
allowed budget_ingest "SELECT * FROM audit_anchor()"
allowed budget_ingest "$(append 1 "$genesis")"
refused budget_ingest "do not go on from the stored head" "$(append 3 01)"
refused budget_ingest "do not go on from the stored head" "$(append 2 00)"
denied budget_ingest "$audit"
denied budget_ingest "$head_row"
denied budget_ingest "UPDATE audit_head SET sequence = 5"
# It takes queued records out through the function only, to chain them.
allowed budget_ingest "SELECT * FROM take_queued_audit_records(10)"
denied budget_ingest "$queued"
denied budget_ingest "$(queue ingest)"
denied budget_ingest "DELETE FROM audit_inbox"
denied budget_ingest "UPDATE audit_inbox SET outcome = 'OK'"
denied budget_ingest "SELECT nextval('audit_inbox_id_seq')"
# Stored rows are history: never rewritten.
denied budget_ingest "UPDATE submissions SET submitted_by = 'someone-else'"
denied budget_ingest "UPDATE submissions SET payload = ''"
denied budget_ingest "UPDATE units SET name = 'x'"
denied budget_ingest "UPDATE reviews SET decision = 2"
denied budget_ingest "UPDATE locks SET locked_by = 'x'"
denied budget_ingest "UPDATE cycle_records SET payload = ''"
denied budget_ingest "DELETE FROM submissions"
denied budget_ingest "UPDATE audit_records SET outcome = 'OK'"
denied budget_ingest "DELETE FROM audit_records"
denied budget_ingest "INSERT INTO schema_version VALUES (99, 'x')"
denied budget_ingest "CREATE TABLE extra (x int)"
denied budget_ingest "TRUNCATE submissions"

# The query role reads everything and only queues audit records: it cannot
# take the audit lock (audit_anchor() held it for the rest of the
# transaction, which stopped every audited write while it stayed open),
# chain, or take queued records.
for table in units submissions node_totals reviews locks audit_records \
             audit_head audit_inbox schema_version; do
  allowed budget_query "SELECT count(*) FROM ${table}"
done
allowed budget_query "$(queue query)"
refused budget_query "violates check constraint" "SELECT \
queue_audit_records('{p}', '{m}', '{n}', '{0}', '{r}', '{o}', '{-1}')"
denied budget_query "SELECT * FROM audit_anchor()"
denied budget_query "$(append 2 01)"
denied budget_query "SELECT * FROM take_queued_audit_records(10)"
denied budget_query "$queued"
denied budget_query "DELETE FROM audit_inbox"
denied budget_query "UPDATE audit_inbox SET principal = 'x'"
denied budget_query "SELECT * FROM audit_inbox FOR UPDATE"
denied budget_query "SELECT nextval('audit_inbox_id_seq')"
denied budget_query "INSERT INTO audit_records VALUES (3, 'p', 'GetTable', \
'4101', 2024, '', 'PERMISSION_DENIED', 0, '', '')"
denied budget_query "UPDATE audit_head SET sequence = 3"
denied budget_query "$head_row"
denied budget_query "SELECT * FROM audit_head FOR UPDATE"
# No advisory lock: it could hold the writer's write or audit lock, or its
# lease, and so stop every write.
for lock in "pg_advisory_lock(${write_key})" \
            "pg_advisory_xact_lock(${write_key})" \
            "pg_advisory_lock(${audit_key})" \
            "pg_advisory_lock_shared(${write_key})" \
            "pg_try_advisory_lock(${lease_key})" \
            "pg_try_advisory_xact_lock(${lease_key})" \
            "pg_advisory_lock(1, 2)"; do
  denied budget_query "SELECT ${lock}"
done
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
# none, the writer update none but totals and its lease.
tables_where() {  # CONDITION on c.oid: the public tables meeting it
  psql -X -A -t -v ON_ERROR_STOP=1 "$(uri_as budget_owner)" -c "\
SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c \
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' \
AND c.relkind = 'r' AND ($1)"
}
writable=$(tables_where "has_table_privilege('budget_query', c.oid, \
'INSERT, UPDATE, DELETE, TRUNCATE')")
if [ -n "$writable" ]; then
  echo "FAIL: budget_query may write: ${writable}"
  failed=1
fi
updatable=$(tables_where "has_table_privilege('budget_ingest', c.oid, \
'UPDATE, DELETE, TRUNCATE')")
if [ "$updatable" != "node_totals,writer_lease" ]; then
  echo "FAIL: budget_ingest may update: ${updatable}"
  failed=1
fi

# The services themselves, with the deployment's roles.
start() {  # NAME BINARY ROLE [FLAG...]: starts it, sets $address from
           # its first line
  local name=$1 binary=$2 role=$3
  shift 3
  "$binary" --store="$(uri_as "$role" "$served_db")" --insecure \
    --listen=127.0.0.1:0 --shutdown_grace=1s "$@" >"${work}/${name}.out" \
    2>"${work}/${name}.err" &
  pids+=("$!")
  address=
  for _ in $(seq 300); do
    address=$(sed -n 's/^listening on //p' "${work}/${name}.out")
    [ -n "$address" ] && return 0
    sleep 0.1
  done
  echo "FAIL: ${name} did not start:"
  cat "${work}/${name}.err"
  failed=1
  return 1
}
# Two budget_query sessions (psql reading a FIFO, named by PGAPPNAME) that
# keep a transaction open, with the role's idle_in_transaction timeout
# turned off as any session may: one after queueing a record, one after
# trying audit_anchor(), which once took the audit lock for the rest of
# the transaction and so stopped every audited commit of the writer.
hold() {  # NAME FD SQL: session NAME on file descriptor FD runs SQL
  mkfifo "${work}/$1.in"
  PGAPPNAME=$1 psql -X -q "$(uri_as budget_query "$served_db")" \
    <"${work}/$1.in" >"${work}/$1.out" 2>&1 &
  pids+=("$!")
  eval "exec $2>\"\${work}/$1.in\""
  printf 'SET idle_in_transaction_session_timeout = 0;\nBEGIN;\n%s;\n' \
    "$3" >&"$2"
}
held_open() {  # the sessions of hold() waiting inside their transaction
  psql -X -A -t "$base_uri" -c "SELECT count(*) FROM pg_stat_activity \
WHERE datname = '${served_db}' AND state LIKE 'idle in transaction%' AND \
application_name IN ('holds_queued', 'holds_anchor')"
}
if start ingest "$ingest_binary" budget_ingest; then
  ingest=$address
  if ! "$budgetctl" --ingest "$ingest" units import "${fixtures}/units.units" \
         >"${work}/ctl.txt" 2>&1; then
    echo "FAIL: budget_ingest cannot register units:"
    cat "${work}/ctl.txt" "${work}/ingest.err"
    failed=1
  fi
  hold holds_queued 7 "$(queue held-open)"
  hold holds_anchor 8 "SELECT * FROM audit_anchor()"
  for _ in $(seq 300); do
    [ "$(held_open)" = 2 ] && break
    sleep 0.1
  done
  if [ "$(held_open)" != 2 ]; then
    echo "FAIL: the budget_query sessions did not open their transactions:"
    cat "${work}/holds_queued.out" "${work}/holds_anchor.out"
    failed=1
  fi
  if ! grep -q "permission denied for function audit_anchor" \
         "${work}/holds_anchor.out"; then
    echo "FAIL: budget_query could call audit_anchor():"
    cat "${work}/holds_anchor.out"
    failed=1
  fi
  # Audited commits while those transactions stay open; a commit waiting
  # for the audit lock would never return, hence the bound.
  if ! timeout 60 "$budgetctl" --ingest "$ingest" submit \
         "${fixtures}"/2024/*.budget >>"${work}/ctl.txt" 2>&1; then
    echo "FAIL: budget_ingest did not store budgets (within 60 s) while \
budget_query sessions kept transactions open:"
    cat "${work}/ctl.txt" "${work}/ingest.err"
    failed=1
  fi
  echo "COMMIT;" >&7
  echo "ROLLBACK;" >&8
  exec 7>&- 8>&-
  # The ingest service chains the record queued (every second).
  chained=0
  for _ in $(seq 600); do
    chained=$(psql -X -A -t "$(uri_as budget_owner "$served_db")" -c \
      "SELECT count(*) FROM audit_records WHERE principal = 'held-open'")
    [ "$chained" -gt 0 ] && break
    sleep 0.1
  done
  if [ "$chained" -ne 1 ]; then
    echo "FAIL: the record budget_query queued was chained ${chained} times:"
    cat "${work}/holds_queued.out" "${work}/ingest.err"
    failed=1
  fi
  audited=$(psql -X -A -t "$(uri_as budget_owner "$served_db")" \
    -c "SELECT count(*) FROM audit_records")
  if [ "$audited" -lt 8 ]; then  # Six budgets, the units, the queued one.
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
# A query service that knows no principal refuses the call and audits it,
# as budget_query: queued through queue_audit_records() alone, and chained
# by the ingest service within a second or so.
echo "# no principals" >"${work}/principals.txt"
count_refused() {
  psql -X -A -t -v ON_ERROR_STOP=1 "$(uri_as budget_owner "$served_db")" \
    -c "SELECT count(*) FROM audit_records WHERE \
method = 'GetDisclosureTable' AND outcome <> 'OK'"
}
if start refusing "$query_binary" budget_query \
     --principals="${work}/principals.txt"; then
  if "$budgetctl" --query "$address" table T05 --unit 021 --year 2024 \
       >"${work}/refused.txt" 2>&1; then
    echo "FAIL: a query service without principals served table 05"
    failed=1
  fi
  refused_calls=0
  for _ in $(seq 600); do
    refused_calls=$(count_refused)
    [ "$refused_calls" -gt 0 ] && break
    sleep 0.1
  done
  if [ "$refused_calls" -ne 1 ]; then
    echo "FAIL: query_service as budget_query audited ${refused_calls} \
refused calls, not 1:"
    cat "${work}/refused.txt" "${work}/refusing.err"
    failed=1
  fi
fi

# The chain both services wrote verifies: every record in sequence from 1,
# chained to the one before and hashed as auth::AuditHash hashes it (each
# field as "LENGTH:BYTES;", the time as "SECONDS.NANOS"), and the head is
# the last record.
broken=$(psql -q -X -A -t -v ON_ERROR_STOP=1 \
  "$(uri_as budget_owner "$served_db")" <<'SQL'
CREATE FUNCTION pg_temp.field(value bytea) RETURNS bytea LANGUAGE sql AS
  $$SELECT convert_to(octet_length(value) || ':', 'UTF8') || value ||
           convert_to(';', 'UTF8')$$;
CREATE FUNCTION pg_temp.field(value text) RETURNS bytea LANGUAGE sql AS
  $$SELECT pg_temp.field(convert_to(value, 'UTF8'))$$;
WITH r AS (
  SELECT sequence, hash,
         row_number() OVER (ORDER BY sequence) AS nth,
         previous_hash = lag(hash, 1, decode(repeat('00', 32), 'hex'))
           OVER (ORDER BY sequence) AS chained,
         hash = sha256(pg_temp.field(previous_hash) ||
           pg_temp.field(sequence::text) || pg_temp.field(principal) ||
           pg_temp.field(method) || pg_temp.field(node_code) ||
           pg_temp.field(fiscal_year::text) || pg_temp.field(request_id) ||
           pg_temp.field(outcome) ||
           pg_temp.field((time_us / 1000000) || '.' ||
                         (time_us % 1000000) * 1000)) AS hashed
    FROM audit_records)
SELECT (SELECT count(*) FROM r WHERE sequence <> nth OR NOT chained OR
          NOT hashed) +
       (SELECT count(*) FROM r JOIN audit_head AS h ON h.id = 1
         WHERE r.nth = (SELECT count(*) FROM r)
           AND (h.sequence <> r.sequence OR h.hash <> r.hash)) +
       (SELECT count(*) FROM audit_head WHERE NOT EXISTS
          (SELECT FROM audit_records WHERE sequence = audit_head.sequence));
SQL
)
if [ "$broken" != "0" ]; then
  echo "FAIL: the audit chain does not verify (${broken} faults)"
  failed=1
fi

if [ "$failed" -eq 0 ]; then
  echo "PASS: roles and grants as documented"
fi
exit "$failed"
