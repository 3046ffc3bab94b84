-- drilldown2_postgres.sql for SQLite, which has no ROLLUP.
WITH project AS (
  SELECT function_section AS f, funding_source AS s, amount_fen
  FROM lines WHERE department = '0001' AND nature = 'PROJECT'
)
SELECT f, s, SUM(amount_fen), COUNT(*) FROM project GROUP BY f, s
UNION ALL
SELECT f, NULL, SUM(amount_fen), COUNT(*) FROM project GROUP BY f
UNION ALL
SELECT NULL, NULL, SUM(amount_fen), COUNT(*) FROM project
ORDER BY 1, 2;
