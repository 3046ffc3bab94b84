-- One row per expenditure line of the loaded budgets, as bench_gen
-- --lines_csv writes them; the same table in SQLite and PostgreSQL.
CREATE TABLE lines (
  unit TEXT NOT NULL,
  department TEXT NOT NULL,
  function_class TEXT NOT NULL,
  function_section TEXT NOT NULL,
  function_item TEXT NOT NULL,
  dept_economic_class TEXT NOT NULL,
  dept_economic TEXT NOT NULL,
  gov_economic TEXT NOT NULL,
  funding_source TEXT NOT NULL,
  nature TEXT NOT NULL,
  project TEXT NOT NULL,
  amount_fen BIGINT NOT NULL
);
