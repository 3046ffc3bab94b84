#include "storage/submission_feed.h"

#include "absl/strings/str_cat.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/postgres_submission_feed.h"
#include "storage/sqlite_submission_feed.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SubmissionFeed>> SubmissionFeed::Open(
    absl::string_view spec) {
  if (IsPostgresUri(spec)) return PostgresSubmissionFeed::Open(spec);
  return SqliteSubmissionFeed::Open(spec);
}

absl::StatusOr<FeedSubmission> FeedEntry(int64_t consolidated_revision,
                                         int64_t unit_revision, int64_t stage,
                                         bool is_record,
                                         const std::string& payload) {
  FeedSubmission entry;
  entry.consolidated_revision = consolidated_revision;
  entry.unit_revision = unit_revision;
  entry.stage = static_cast<budget::v1::BudgetStage>(stage);
  const bool parsed = is_record
                          ? entry.record.emplace().ParseFromString(payload)
                          : entry.budget.ParseFromString(payload);
  if (!parsed) {
    return absl::DataLossError(
        absl::StrCat("submission at consolidated revision ",
                     consolidated_revision, " does not parse"));
  }
  return entry;
}

}  // namespace storage
