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

# The median of `values` (n of them, from index 1); sorts them, and sets
# median_text to "n LABEL (sorted values)", each printed with `format`
# (LABEL is a plural: "1 run", "3 runs").
function median(values, n, label, format,   i, j, t) {
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && values[j - 1] > values[j]; j--) { t = values[j]; values[j] = values[j - 1]; values[j - 1] = t }
  median_text = n " " (n == 1 ? substr(label, 1, length(label) - 1) : label) " ("
  for (i = 1; i <= n; i++) median_text = median_text sprintf(i > 1 ? ", " format : format, values[i])
  median_text = median_text ")"
  return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
}

# Table 05's `field` over the callback Ping's, times `scale`, for each pair
# of rows measured back to back (the first pair, then _r2 and _r3 where the
# run has them): their median (median_text lists them).
function paired(p, tag, field, scale,   r, n, ratio, suffix) {
  n = 0
  for (r = 1; r <= 3; r++) {
    suffix = r == 1 ? "" : "_r" r
    if (!has(p "table05_" tag suffix "." field)) continue
    ratio[++n] = scale * v[p "table05_" tag suffix "." field] / v[p "ping_callback_" tag suffix "." field]
  }
  return median(ratio, n, "pairs", "%.2f")
}

# The row `name`'s `field` in each of its runs (name, then name_r2 and
# name_r3 where the run has them): their median (median_text lists them).
function rounds(name, field,   r, n, runs, suffix) {
  n = 0
  for (r = 1; r <= 3; r++) {
    suffix = r == 1 ? "" : "_r" r
    if (has(name suffix "." field)) runs[++n] = v[name suffix "." field]
  }
  return median(runs, n, "runs", "%d")
}

# A durable-ingest verdict: the median of the row's runs against 2,000/s.
function ingest_verdict(target, store, name,   rate) {
  if (!has(name ".per_second")) return
  rate = rounds(name, "per_second")
  verdict(target, store, rate, ">=", 2000, "/s",
          sprintf("median of %s; first run p50 %.1f ms", median_text, v[name ".p50_us"] / 1000))
}

function store_verdicts(p, store,   q, n, qs, mid) {
  if (!has(p "populate.lines")) return
  # paired() and rounds() set median_text: called before each verdict, not
  # inside its arguments, whose order of evaluation awk does not define.
  mid = paired(p, "c1x1", "p50_us", 1)
  verdict("table05 p50 / ping_callback p50, 1x1", store,
          mid, "<=", 1.5, "x",
          sprintf("median of %s; first pair: table05 %.1f us, ping_callback %.1f us (sync %.1f, raw %.1f)",
                  median_text, v[p "table05_c1x1.p50_us"], v[p "ping_callback_c1x1.p50_us"],
                  v[p "ping_c1x1.p50_us"], v[p "ping_raw_c1x1.p50_us"]))
  mid = paired(p, "c2x4", "per_second", 100)
  verdict("table05 calls/s / ping_callback, 2x4", store,
          mid, ">=", 70, "%",
          sprintf("median of %s; first pair: table05 %d/s, ping_callback %d/s (sync %d, raw %d)",
                  median_text, v[p "table05_c2x4.per_second"], v[p "ping_callback_c2x4.per_second"],
                  v[p "ping_c2x4.per_second"], v[p "ping_raw_c2x4.per_second"]))
  ingest_verdict("durable SubmitBudget, 2x4", store, p "submit_c2x4")
  ingest_verdict("durable SubmitBudgets stream, 2x4", store, p "submit_stream_c2x4")
  ingest_verdict("durable SubmitBudgets, 2 streams x 32", store, p "submit_stream_w32_c2x1")
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
