-- The privileges of the service roles on the store's tables
-- (deploy/postgres/roles.sql made the roles). Run as budget_owner after
-- every `ingest_service --migrate`, before the services start:
--
--   psql -v ON_ERROR_STOP=1 "postgresql://budget_owner@DBHOST/budget" \
--        -f deploy/postgres/grants.sql
--
-- Idempotent: it states every privilege from scratch. A table a later
-- migration adds is read by both roles and written (insert, update) by
-- the writer; name it below if it needs less (tests/deploy/
-- postgres_roles_test.sh checks what each role may do).
BEGIN;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM budget_ingest, budget_query;

-- Both services read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO budget_ingest, budget_query;

-- The writer adds and updates rows of every table (budgets, reviews,
-- locks, totals, its writer lease, and those later migrations add) but
-- the two below; nothing is ever deleted (every revision stays in the
-- history).
GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO budget_ingest;

-- The audit trail is append-only for both: a record once written is never
-- updated; the head (sequence and hash of the newest record, which chains
-- the next one) moves forward with each append, under FOR UPDATE.
REVOKE UPDATE ON audit_records FROM budget_ingest;
GRANT INSERT ON audit_records TO budget_query;
GRANT INSERT, UPDATE ON audit_head TO budget_query;

-- Audit records go through migration 5's functions, which run as the
-- owner: audit_anchor() takes the audit lock and reads the head,
-- append_audit_records() appends only records that go on from it.
GRANT EXECUTE ON FUNCTION audit_anchor(),
  append_audit_records(BIGINT[], TEXT[], TEXT[], TEXT[], INTEGER[], TEXT[],
                       TEXT[], BIGINT[], BYTEA[], BYTEA[])
  TO budget_ingest, budget_query;

-- schema_version is the owner's alone (migrations); the services read it.
REVOKE INSERT, UPDATE ON schema_version FROM budget_ingest;
COMMIT;
