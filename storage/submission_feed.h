// A read-only tail of the store for the query service: registry entries and
// accepted submissions committed after a point, read in one read
// transaction so that a batch never holds a submission without the units it
// names. See storage/README.md, "Tailing". Backends: SqliteSubmissionFeed,
// PostgresSubmissionFeed.
//
// Never creates or modifies the store. Owns its connection. Not
// thread-safe: one tailing thread uses it.
#ifndef STORAGE_SUBMISSION_FEED_H_
#define STORAGE_SUBMISSION_FEED_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
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
  // The feed of the store `spec` names, as OpenStore takes it. SQLite:
  // NOT_FOUND when the file does not exist (the caller may wait for the
  // ingest service to create it). PostgreSQL: UNAVAILABLE when the server
  // cannot be reached, FAILED_PRECONDITION when the schema is not this
  // build's. INVALID_ARGUMENT for another scheme.
  static absl::StatusOr<std::unique_ptr<SubmissionFeed>> Open(
      absl::string_view spec);
  virtual ~SubmissionFeed() = default;

  // Units with seq > after_unit_seq and at most `limit` submissions and
  // cycle records with consolidated_revision > after_revision. A SQLite store
  // whose schema is not written yet reads as empty.
  virtual absl::StatusOr<FeedBatch> ReadAfter(int64_t after_unit_seq,
                                              int64_t after_revision,
                                              int limit) = 0;

  // Changes whenever another connection commits something ReadAfter would
  // return, so a poller can skip reading when nothing happened.
  virtual absl::StatusOr<int64_t> DataVersion() = 0;

  // Waits up to `timeout` for another connection to commit a change;
  // true when one may have been committed since the last call (read
  // then; also after a reconnect, which may have missed changes), false
  // on timeout. The first call returns true at once, after
  // starting to listen, so that a caller reading then misses nothing.
  // PostgreSQL: LISTEN/NOTIFY (channel budget_changes), no polling.
  // SQLite: polls DataVersion every few milliseconds.
  virtual absl::StatusOr<bool> WaitForChange(absl::Duration timeout) = 0;

  // The newest consolidated revision a change notification has named so
  // far (PostgreSQL's NOTIFY payload), for a replica's lag; 0 when none
  // has, and always on SQLite, which has no notifications.
  virtual int64_t NotifiedRevision() const { return 0; }
};

// For backends: the entry at `consolidated_revision` from its stored row
// (a cycle record's `payload` is a CycleRecord, a revision's a
// UnitBudget); DATA_LOSS when the payload does not parse.
absl::StatusOr<FeedSubmission> FeedEntry(int64_t consolidated_revision,
                                         int64_t unit_revision, int64_t stage,
                                         bool is_record,
                                         const std::string& payload);

}  // namespace storage

#endif  // STORAGE_SUBMISSION_FEED_H_
