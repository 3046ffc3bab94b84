#include "storage/submission_feed.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
                                         bool is_record, bool parse_budget,
                                         std::string payload) {
  FeedSubmission entry;
  entry.consolidated_revision = consolidated_revision;
  entry.unit_revision = unit_revision;
  entry.stage = static_cast<budget::v1::BudgetStage>(stage);
  if (!is_record && !parse_budget) {
    entry.budget_payload = std::move(payload);
    return entry;
  }
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

std::string YearList(const AsOfRead& read) {
  return read.years.empty() ? "0" : absl::StrJoin(read.years, ", ");
}

int64_t LocksAtMicros(const AsOfRead& read) {
  return read.locks_at.has_value() ? absl::ToUnixMicros(*read.locks_at)
                                   : INT64_MAX;
}

absl::Status CountLines(const FeedSubmission& entry, int64_t max_lines,
                        int64_t* lines) {
  *lines += entry.budget.income_size() + entry.budget.expenditures_size();
  if (*lines <= max_lines) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("the budgets as of the revision asked hold more than ",
                   max_lines, " lines (--max_as_of_lines)"));
}

absl::StatusOr<int64_t> LatestRecordBy(
    absl::Time time, int64_t submitted,
    const std::vector<std::pair<int64_t, std::string>>& records) {
  int64_t latest = submitted;
  for (const auto& [revision, payload] : records) {
    budget::v1::CycleRecord record;
    if (!record.ParseFromString(payload)) {
      return absl::DataLossError(
          absl::StrCat("cycle record at consolidated revision ", revision,
                       " does not parse"));
    }
    const google::protobuf::Timestamp& stored =
        record.has_control_figures() ? record.control_figures().issued_at()
                                     : record.adjustment().approved_at();
    if (absl::FromUnixSeconds(stored.seconds()) +
            absl::Nanoseconds(stored.nanos()) >
        time) {
      break;
    }
    latest = revision;
  }
  return latest;
}

}  // namespace storage
