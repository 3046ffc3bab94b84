-- The privileges of the service roles on the store's tables
-- (deploy/postgres/roles.sql made the roles). Run as budget_owner after
-- every `ingest_service --migrate`, before the services start:
--
--   psql -v ON_ERROR_STOP=1 "postgresql://budget_owner@DBHOST/budget" \
--        -f deploy/postgres/grants.sql
--
-- Idempotent: it states every privilege from scratch. A table a later
-- migration adds is read by both roles and inserted into by the writer;
-- name it below if the writer updates it (tests/deploy/
-- postgres_roles_test.sh checks what each role may do). The advisory
-- locks are roles.sql's (the superuser's).
BEGIN;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM budget_ingest, budget_query;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM budget_ingest, budget_query;

-- Both services read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO budget_ingest, budget_query;

-- The writer adds rows to every table (budgets, reviews, locks, units,
-- cycle records, totals, and those later migrations add) but the three
-- below, and updates only the rows that move: the totals of each node and
-- year, and its writer lease epoch (which it also reads FOR SHARE). A
-- stored submission, review, lock, unit or cycle record is never updated,
-- and nothing is ever deleted (every revision stays in the history).
GRANT INSERT ON ALL TABLES IN SCHEMA public TO budget_ingest;
GRANT UPDATE ON node_totals, writer_lease TO budget_ingest;

-- The audit trail is append-only for both, and only through migration 5's
-- functions, which run as the owner: audit_anchor() takes the audit lock
-- for the rest of the transaction and reads the head (the sequence and
-- hash of the newest record, which chains the next one);
-- append_audit_records() appends only records that go on from it and moves
-- it. So neither role writes the audit tables, and the query role takes no
-- advisory lock but that one.
REVOKE INSERT ON audit_records, audit_head FROM budget_ingest;
GRANT EXECUTE ON FUNCTION audit_anchor(),
  append_audit_records(BIGINT[], TEXT[], TEXT[], TEXT[], INTEGER[], TEXT[],
                       TEXT[], BIGINT[], BYTEA[], BYTEA[])
  TO budget_ingest, budget_query;

-- schema_version is the owner's alone (migrations); the services read it.
REVOKE INSERT ON schema_version FROM budget_ingest;
COMMIT;
