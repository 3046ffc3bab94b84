-- drilldown_postgres.sql for SQLite, which has no ROLLUP.
WITH project AS (
  SELECT unit AS u, dept_economic_class AS e, function_class AS f, amount_fen
  FROM lines WHERE department = '0001' AND nature = 'PROJECT'
)
SELECT u, e, f, SUM(amount_fen), COUNT(*) FROM project GROUP BY u, e, f
UNION ALL
SELECT u, e, NULL, SUM(amount_fen), COUNT(*) FROM project GROUP BY u, e
UNION ALL
SELECT u, NULL, NULL, SUM(amount_fen), COUNT(*) FROM project GROUP BY u
UNION ALL
SELECT NULL, NULL, NULL, SUM(amount_fen), COUNT(*) FROM project
ORDER BY 1, 2, 3;
