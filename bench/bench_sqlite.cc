// bench_sqlite: times one SQL query against a SQLite database in process,
// stepping through every row, and prints the latency summary
// (bench/latency_stats.h) and the number of rows.
//
//   bench_sqlite --db=lines.sqlite --sql=bench/sql/table05_sqlite.sql
//       --name=sqlite_table05 --repeat=20
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/latency_stats.h"
#include "sqlite3.h"

ABSL_FLAG(std::string, db, "", "SQLite database holding the lines table");
ABSL_FLAG(std::string, sql, "", "File holding one query");
ABSL_FLAG(std::string, name, "sqlite", "Name printed with the results");
ABSL_FLAG(int, repeat, 20, "Timed runs, after one untimed run");

namespace {

// Runs the prepared statement to its end; the number of rows, or -1.
int64_t RunOnce(sqlite3_stmt* statement) {
  int64_t rows = 0;
  int step;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) ++rows;
  sqlite3_reset(statement);
  return step == SQLITE_DONE ? rows : -1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream file(absl::GetFlag(FLAGS_sql));
  std::stringstream sql;
  sql << file.rdbuf();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(absl::GetFlag(FLAGS_db).c_str(), &db,
                      SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    absl::FPrintF(stderr, "bench_sqlite: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.str().c_str(), -1, &statement, nullptr) !=
      SQLITE_OK) {
    absl::FPrintF(stderr, "bench_sqlite: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  const int64_t rows = RunOnce(statement);  // Warms the page cache.
  std::vector<absl::Duration> latencies;
  int64_t errors = rows < 0 ? 1 : 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < absl::GetFlag(FLAGS_repeat); ++i) {
    const absl::Time t0 = absl::Now();
    if (RunOnce(statement) != rows) {
      ++errors;
      continue;
    }
    latencies.push_back(absl::Now() - t0);
  }
  const bench::LatencySummary summary =
      bench::Summarize(latencies, errors, absl::Now() - start);
  absl::PrintF("%s rows=%d\n",
               bench::FormatSummary(absl::GetFlag(FLAGS_name), summary), rows);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return errors == 0 ? 0 : 1;
}
