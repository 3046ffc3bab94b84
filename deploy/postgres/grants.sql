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
-- and nothing is ever deleted (every revision stays in the history; the
-- audit records queued in audit_inbox, below, leave it only for the chain).
GRANT INSERT ON ALL TABLES IN SCHEMA public TO budget_ingest;
GRANT UPDATE ON node_totals, writer_lease TO budget_ingest;

-- The audit trail is append-only, through the functions of migrations 5
-- and 6 only, which run as the owner. The writer chains:
-- audit_anchor() takes the audit lock for the rest of the transaction and
-- reads the head (the sequence and hash of the newest record, which chains
-- the next one); append_audit_records() appends only records that go on
-- from it and moves it. The query role only queues its records, unchained,
-- in audit_inbox (queue_audit_records(), which takes no lock): it holds
-- nothing the writer waits for, since a transaction it keeps open after
-- audit_anchor() would have stopped every audited write. The writer moves
-- queued records into the chain (take_queued_audit_records() deletes the
-- oldest and returns them, in the transaction that appends them): the
-- only rows it ever deletes, and only through that function. So neither
-- role writes the audit tables or audit_inbox, and the query role takes
-- no advisory lock at all.
REVOKE INSERT ON audit_records, audit_head, audit_inbox FROM budget_ingest;
REVOKE ALL ON SEQUENCE audit_inbox_id_seq FROM budget_ingest, budget_query;
GRANT EXECUTE ON FUNCTION audit_anchor(),
  append_audit_records(BIGINT[], TEXT[], TEXT[], TEXT[], INTEGER[], TEXT[],
                       TEXT[], BIGINT[], BYTEA[], BYTEA[]),
  take_queued_audit_records(INTEGER)
  TO budget_ingest;
GRANT EXECUTE ON FUNCTION queue_audit_records(TEXT[], TEXT[], TEXT[],
  INTEGER[], TEXT[], TEXT[], BIGINT[])
  TO budget_query;

-- schema_version is the owner's alone (migrations); the services read it.
REVOKE INSERT ON schema_version FROM budget_ingest;
COMMIT;
