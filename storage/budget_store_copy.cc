// budget_store_copy: copies a SQLite store into a new PostgreSQL database
// with every revision, review, lock, request id and audit record (see
// storage/store_copy.h and storage/README.md, "Moving a store").
//
//   budget_store_copy --from=sqlite:./var/budget.db
//       --to=postgresql://budget_owner@db.example/budget
//
// Stop the ingest service first. The target is migrated, must hold no
// rows, and receives everything in one transaction. Prints the rows copied
// per table; exit status 1 (and nothing copied) on any error.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "storage/store_copy.h"

ABSL_FLAG(std::string, from, "", "The source store: sqlite:PATH");
ABSL_FLAG(std::string, to, "",
          "The target: a PostgreSQL connection URI of an empty database "
          "(password from PGPASSFILE)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "copies a SQLite store into an empty PostgreSQL database: "
      "budget_store_copy --from=sqlite:PATH --to=postgresql://...");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<storage::CopiedRows> copied = storage::CopySqliteToPostgres(
      absl::GetFlag(FLAGS_from), absl::GetFlag(FLAGS_to));
  if (!copied.ok()) {
    absl::FPrintF(stderr, "budget_store_copy: %s\n",
                  copied.status().ToString());
    return 1;
  }
  for (const auto& [table, rows] : *copied) {
    absl::PrintF("%s\t%d\n", table, rows);
  }
  return 0;
}
