-- The second drilldown of bench/bench_requests.h: department 0001's project
-- lines by 功能分类 款 × 资金来源, with the subtotal of each 款.
SELECT function_section, funding_source,
       SUM(amount_fen) AS amount, COUNT(*) AS lines
FROM lines
WHERE department = '0001' AND nature = 'PROJECT'
GROUP BY ROLLUP (function_section, funding_source)
ORDER BY 1, 2;
