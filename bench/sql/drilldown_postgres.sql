-- The drilldown of bench/bench_requests.h: department 0001's project lines
-- by unit × 部门经济分类 类 × 功能分类 类, with every subtotal.
SELECT unit, dept_economic_class, function_class,
       SUM(amount_fen) AS amount, COUNT(*) AS lines
FROM lines
WHERE department = '0001' AND nature = 'PROJECT'
GROUP BY ROLLUP (unit, dept_economic_class, function_class)
ORDER BY 1, 2, 3;
