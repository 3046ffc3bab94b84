-- table05_postgres.sql for SQLite, which has no ROLLUP: one GROUP BY per
-- subtotal level, united.
WITH fiscal AS (
  SELECT * FROM lines
  WHERE department = '0001'
    AND funding_source IN ('GENERAL_PUBLIC_BUDGET', 'GENERAL_PUBLIC_BUDGET_OTHER')
), sums AS (
  SELECT function_class AS c, function_section AS s, function_item AS i,
         amount_fen,
         CASE WHEN nature <> 'PROJECT' THEN amount_fen ELSE 0 END AS basic,
         CASE WHEN nature = 'BASIC_PERSONNEL' THEN amount_fen ELSE 0 END AS personnel,
         CASE WHEN nature = 'BASIC_PUBLIC' THEN amount_fen ELSE 0 END AS public,
         CASE WHEN nature = 'PROJECT' THEN amount_fen ELSE 0 END AS project
  FROM fiscal
)
SELECT c, s, i, SUM(amount_fen), SUM(basic), SUM(personnel), SUM(public), SUM(project)
  FROM sums GROUP BY c, s, i
UNION ALL
SELECT c, s, NULL, SUM(amount_fen), SUM(basic), SUM(personnel), SUM(public), SUM(project)
  FROM sums GROUP BY c, s
UNION ALL
SELECT c, NULL, NULL, SUM(amount_fen), SUM(basic), SUM(personnel), SUM(public), SUM(project)
  FROM sums GROUP BY c
UNION ALL
SELECT NULL, NULL, NULL, SUM(amount_fen), SUM(basic), SUM(personnel), SUM(public), SUM(project)
  FROM sums
ORDER BY 1, 2, 3;
