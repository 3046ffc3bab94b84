-- Table 05 (一般公共预算支出) of department 0001: general public budget
-- lines by 功能分类 类/款/项 with subtotals, split by nature.
SELECT function_class, function_section, function_item,
       SUM(amount_fen) AS total,
       SUM(CASE WHEN nature <> 'PROJECT' THEN amount_fen ELSE 0 END) AS basic,
       SUM(CASE WHEN nature = 'BASIC_PERSONNEL' THEN amount_fen ELSE 0 END) AS personnel,
       SUM(CASE WHEN nature = 'BASIC_PUBLIC' THEN amount_fen ELSE 0 END) AS public,
       SUM(CASE WHEN nature = 'PROJECT' THEN amount_fen ELSE 0 END) AS project
FROM lines
WHERE department = '0001'
  AND funding_source IN ('GENERAL_PUBLIC_BUDGET', 'GENERAL_PUBLIC_BUDGET_OTHER')
GROUP BY ROLLUP (function_class, function_section, function_item)
ORDER BY 1, 2, 3;
