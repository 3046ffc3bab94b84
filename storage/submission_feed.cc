#include "storage/submission_feed.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/postgres_submission_feed.h"
#include "storage/sqlite_submission_feed.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SubmissionFeed>> SubmissionFeed::Open(
    absl::string_view spec) {
  if (IsPostgresUri(spec)) return PostgresSubmissionFeed::Open(spec);
  return SqliteSubmissionFeed::Open(spec);
}

}  // namespace storage
