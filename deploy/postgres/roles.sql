-- The roles and the database of a PostgreSQL budget store (docs/deploy.md).
-- Run once, as a superuser, before the first `ingest_service --migrate`:
--
--   psql -v ON_ERROR_STOP=1 -v db=budget -f deploy/postgres/roles.sql
--
-- Idempotent. Roles are made without passwords: set them with \password
-- (or use certificate or peer authentication in pg_hba.conf); clients read
-- them from PGPASSFILE, never from a --store URI in a unit file.
--
--   budget_owner   owns the database, its schema and every table; runs
--                  `ingest_service --migrate` and deploy/postgres/grants.sql.
--                  Never used by a running service.
--   budget_ingest  the ingest services (active and standby): reads
--                  everything, adds budgets, reviews, locks and units,
--                  updates totals and its writer lease, takes the advisory
--                  locks of the writer, appends audit records and
--                  chains those the query services queued. Cannot
--                  delete (but queued audit records, as it chains them),
--                  cannot rewrite a stored row, cannot change the schema.
--   budget_query   the query services: reads everything and may only queue
--                  audit records (refused calls) for the writer to chain,
--                  nothing else; takes no advisory lock at all.
\if :{?db}
\else
  \set db budget
\endif

SELECT 'CREATE ROLE budget_owner LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budget_owner') \gexec
SELECT 'CREATE ROLE budget_ingest LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budget_ingest') \gexec
SELECT 'CREATE ROLE budget_query LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budget_query') \gexec
-- A transaction left open holds locks and the writer's advisory lock.
ALTER ROLE budget_ingest SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE budget_query SET idle_in_transaction_session_timeout = '60s';
-- An acknowledged submission is durable: never let a session turn it off.
ALTER ROLE budget_ingest SET synchronous_commit = 'on';

SELECT format('CREATE DATABASE %I OWNER budget_owner ENCODING ''UTF8'' '
              'TEMPLATE template0', :'db')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO budget_ingest, '
              'budget_query', :'db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO budget_owner', :'db') \gexec

\connect :db
-- Only the owner creates objects; the services find the tables through
-- the default search_path ("$user", public).
ALTER SCHEMA public OWNER TO budget_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO budget_ingest, budget_query;

-- Tables a later migration creates get the usual privileges at once;
-- grants.sql then narrows the audit tables (run it after every migrate).
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  GRANT SELECT, INSERT ON TABLES TO budget_ingest;
-- Granted by earlier versions of this file.
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  REVOKE UPDATE ON TABLES FROM budget_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  GRANT SELECT ON TABLES TO budget_query;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO budget_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Advisory locks need no privilege by default, so any role that can
-- connect could take and hold the writer's locks or its lease and stop
-- every write. In this database only the writer takes them (writer lease,
-- write and audit locks), and the owner (migrations, and the audit lock
-- inside the audit functions, which run as the owner). pg_catalog's
-- functions are the superuser's, hence here and not in grants.sql.
SELECT format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', p.oid::regprocedure)
  FROM pg_proc AS p
 WHERE p.pronamespace = 'pg_catalog'::regnamespace
   AND (p.proname LIKE 'pg\_advisory\_%' OR
        p.proname LIKE 'pg\_try\_advisory\_%') \gexec
GRANT EXECUTE ON FUNCTION pg_advisory_xact_lock(bigint)
  TO budget_owner, budget_ingest;
GRANT EXECUTE ON FUNCTION pg_try_advisory_lock(bigint),
  pg_advisory_unlock(bigint) TO budget_ingest;
