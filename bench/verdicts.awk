# Reads a bench/run.sh results.txt (name=NAME key=value ...) and prints
# every target of docs/benchmarks.md with its measured value, what it is
# measured against, and its verdict, once per store the run measured (the
# PostgreSQL store's results are named pg_*). Ratios are "how many times"
# so that every verdict reads the same way round.
#
#   awk -f bench/verdicts.awk build/bench-run/M/results.txt

{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[substr($1, 6) "." kv[1]] = kv[2] } }

function has(key) { return key in v && v[key] != "" }

# at_most/at_least: a verdict line for `measured` against `limit`.
function verdict(target, store, measured, cmp, limit, unit, against,   ok) {
  ok = cmp == "<=" ? measured <= limit : measured >= limit
  printf "verdict %-40s %-10s %9.2f %-2s %s %5g %-2s  %-6s  %s\n", target, store, \
         measured, unit, cmp, limit, unit, ok ? "met" : "MISSED", against
}

# Times faster than an SQL engine: its p50 over the service's.
function times(engine, query, service) {
  return v[engine "_" query ".p50_us"] / v[service ".p50_us"]
}

# Table 05's `field` over the callback Ping's, times `scale`, for each pair
# of rows measured back to back (the first pair, then _r2 and _r3 where the
# run has them): the median, with every ratio in pairs_text.
function paired(p, tag, field, scale,   r, n, ratio, suffix, i, j, t) {
  n = 0
  for (r = 1; r <= 3; r++) {
    suffix = r == 1 ? "" : "_r" r
    if (!has(p "table05_" tag suffix "." field)) continue
    ratio[++n] = scale * v[p "table05_" tag suffix "." field] / v[p "ping_callback_" tag suffix "." field]
  }
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && ratio[j - 1] > ratio[j]; j--) { t = ratio[j]; ratio[j] = ratio[j - 1]; ratio[j - 1] = t }
  pairs_text = n " pairs ("
  for (i = 1; i <= n; i++) pairs_text = pairs_text sprintf(i > 1 ? ", %.2f" : "%.2f", ratio[i])
  pairs_text = pairs_text ")"
  return n % 2 ? ratio[(n + 1) / 2] : (ratio[n / 2] + ratio[n / 2 + 1]) / 2
}

function store_verdicts(p, store,   q, n, qs, median) {
  if (!has(p "populate.lines")) return
  # paired() sets pairs_text: called before each verdict, not inside its
  # arguments, whose order of evaluation awk does not define.
  median = paired(p, "c1x1", "p50_us", 1)
  verdict("table05 p50 / ping_callback p50, 1x1", store,
          median, "<=", 1.5, "x",
          sprintf("median of %s; first pair: table05 %.1f us, ping_callback %.1f us (sync %.1f, raw %.1f)",
                  pairs_text, v[p "table05_c1x1.p50_us"], v[p "ping_callback_c1x1.p50_us"],
                  v[p "ping_c1x1.p50_us"], v[p "ping_raw_c1x1.p50_us"]))
  median = paired(p, "c2x4", "per_second", 100)
  verdict("table05 calls/s / ping_callback, 2x4", store,
          median, ">=", 70, "%",
          sprintf("median of %s; first pair: table05 %d/s, ping_callback %d/s (sync %d, raw %d)",
                  pairs_text, v[p "table05_c2x4.per_second"], v[p "ping_callback_c2x4.per_second"],
                  v[p "ping_c2x4.per_second"], v[p "ping_raw_c2x4.per_second"]))
  verdict("durable SubmitBudget, 2x4", store, v[p "submit_c2x4.per_second"], ">=", 2000, "/s",
          sprintf("p50 %.1f ms", v[p "submit_c2x4.p50_us"] / 1000))
  if (has(p "submit_stream_c2x4.per_second"))
    verdict("durable SubmitBudgets stream, 2x4", store, v[p "submit_stream_c2x4.per_second"], ">=", 2000, "/s",
            sprintf("p50 %.1f ms", v[p "submit_stream_c2x4.p50_us"] / 1000))
  if (has(p "submit_stream_w32_c2x1.per_second"))
    verdict("durable SubmitBudgets, 2 streams x 32", store,
            v[p "submit_stream_w32_c2x1.per_second"], ">=", 2000, "/s",
            sprintf("p50 %.1f ms", v[p "submit_stream_w32_c2x1.p50_us"] / 1000))
  n = split("table05:10:3 drilldown:3:3 drilldown2:3:3", qs, " ")
  for (i = 1; i <= n; i++) {
    split(qs[i], q, ":")
    if (!has(p q[1] "_computed_c1x1.p50_us") || !has("postgres_" q[1] ".p50_us")) continue
    verdict(q[1] " computed vs PostgreSQL", store, times("postgres", q[1], p q[1] "_computed_c1x1"), ">=", q[2], "x",
            sprintf("service %.2f ms (cached %.2f), PostgreSQL %.2f ms",
                    v[p q[1] "_computed_c1x1.p50_us"] / 1000, v[p q[1] "_c1x1.p50_us"] / 1000,
                    v["postgres_" q[1] ".p50_us"] / 1000))
    verdict(q[1] " computed vs SQLite", store, times("sqlite", q[1], p q[1] "_computed_c1x1"), ">=", q[3], "x",
            sprintf("service %.2f ms (cached %.2f), SQLite %.2f ms",
                    v[p q[1] "_computed_c1x1.p50_us"] / 1000, v[p q[1] "_c1x1.p50_us"] / 1000,
                    v["sqlite_" q[1] ".p50_us"] / 1000))
  }
  verdict("query memory per line", store, v[p "query_rss.bytes_per_line"], "<=", 64, "B",
          sprintf("RSS %d MB loaded, %d MB empty", v[p "query_rss.rss_loaded_kb"] / 1024,
                  v[p "query_rss.rss_empty_kb"] / 1024))
  verdict("resubmission visible, p99", store, v[p "visibility.p99_us"] / 1000, "<=", 50, "ms",
          sprintf("p50 %.1f ms", v[p "visibility.p50_us"] / 1000))
  verdict("cold query replica serving", store, v[p "computed_startup.ms"] / 1000, "<=", 11, "s",
          "start on the loaded store until it holds the last budget")
}

END {
  store_verdicts("", "sqlite")
  store_verdicts("pg_", "postgresql")
}
