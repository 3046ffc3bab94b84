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
--                  everything, adds and updates budgets, reviews, locks and
--                  totals, appends audit records. Cannot delete, cannot
--                  rewrite an audit record, cannot change the schema.
--   budget_query   the query services: reads everything and may only append
--                  audit records (refused calls), nothing else.
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
  GRANT SELECT, INSERT, UPDATE ON TABLES TO budget_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  GRANT SELECT ON TABLES TO budget_query;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO budget_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE budget_owner IN SCHEMA public
  REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
