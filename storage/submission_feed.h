// A read-only tail of the store for the query service: registry entries and
// accepted submissions committed after a point, read in one read
// transaction so that a batch never holds a submission without the units it
// names. See storage/README.md, "Tailing".
//
// Opens the SQLite file read-only (never creates or modifies it). Owns the
// connection. Not thread-safe: one tailing thread uses it.
#ifndef STORAGE_SUBMISSION_FEED_H_
#define STORAGE_SUBMISSION_FEED_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/cycle.pb.h"

namespace storage {

// One committed entry of the consolidated-revision sequence: a budget
// revision, or a cycle record (control figures, an adjustment).
struct FeedSubmission {
  int64_t consolidated_revision = 0;
  int64_t unit_revision = 0;      // 0 for a cycle record.
  budget::v1::UnitBudget budget;  // Empty for a cycle record.
  // Stage of the revision (cycle.proto).
  budget::v1::BudgetStage stage = budget::v1::BUDGET_STAGE_UNSPECIFIED;
  // Set, and the fields above but the revision left empty, when the entry
  // is a cycle record.
  std::optional<budget::v1::CycleRecord> record;
};

struct FeedBatch {
  // Units registered after the given registry position, in order.
  std::vector<budget::v1::Unit> units;
  int64_t last_unit_seq = 0;
  // Submissions and cycle records after the given revision, oldest first.
  std::vector<FeedSubmission> submissions;
  // Every year lock (node code, fiscal year) in the store, not only new
  // ones: the table stays small.
  std::set<std::pair<std::string, int32_t>> locks;
};

class SubmissionFeed {
 public:
  // "sqlite:PATH" as for OpenStore. NOT_FOUND when the file does not exist
  // (the caller may wait for the ingest service to create it);
  // INVALID_ARGUMENT for another scheme.
  static absl::StatusOr<std::unique_ptr<SubmissionFeed>> Open(
      absl::string_view spec);
  ~SubmissionFeed();

  SubmissionFeed(const SubmissionFeed&) = delete;
  SubmissionFeed& operator=(const SubmissionFeed&) = delete;

  // Units with seq > after_unit_seq and at most `limit` submissions and
  // cycle records with consolidated_revision > after_revision. A store whose
  // schema is not written yet reads as empty.
  absl::StatusOr<FeedBatch> ReadAfter(int64_t after_unit_seq,
                                      int64_t after_revision, int limit);

  // Changes whenever another connection commits (PRAGMA data_version), so a
  // poller can skip reading when nothing happened.
  absl::StatusOr<int64_t> DataVersion();

 private:
  explicit SubmissionFeed(sqlite3* db) : db_(db) {}
  absl::StatusOr<FeedBatch> ReadInTransaction(int64_t after_unit_seq,
                                              int64_t after_revision,
                                              int limit);

  sqlite3* db_;
};

}  // namespace storage

#endif  // STORAGE_SUBMISSION_FEED_H_
