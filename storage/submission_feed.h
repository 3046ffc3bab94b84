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
  // ReadAfter leaves a revision's budget serialized here instead, `budget`
  // empty: the caller parses it as it likes (the query service parses a
  // cold start's 100,000 budgets on an arena, without a heap allocation
  // per field).
  std::string budget_payload;
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
  // Year locks (node code, fiscal year). ReadAfter: those recorded at the
  // given revision or later. A lock records the store's revision when it
  // was taken and is committed before the next revision (the writer
  // serializes both), so every earlier one was visible to the read that
  // returned that revision; locks are never removed, so a reader adds these
  // to those it holds. Reading them all on every read cost a live replica
  // the whole table per group commit. ReadAsOf: every lock as of then.
  std::set<std::pair<std::string, int32_t>> locks;
  // Set by ReadAsOf: the consolidated revision the batch reads the store
  // as of (its entries may all be older); 0 otherwise.
  int64_t as_of_revision = 0;
  // Set by ReadAfter: the newest consolidated revision in the store when
  // read. Each commit takes the next revision, so the store then held
  // head_revision - r entries after revision r (a cold start knows which of
  // its backlog's revisions Watch's bounded replay log will keep).
  int64_t head_revision = 0;
};

// What SubmissionFeed::ReadAsOf reads.
struct AsOfRead {
  // The past consolidated revision read as of (> 0).
  int64_t revision = 0;
  // When set (a read as of a time), the year locks taken at or before it;
  // otherwise those taken while `revision` was the newest or before.
  std::optional<absl::Time> locks_at;
  // The fiscal years read.
  std::vector<int32_t> years;
  // RESOURCE_EXHAUSTED when the budgets read hold more income and
  // expenditure lines than this.
  int64_t max_lines = 0;
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
  // cycle records with consolidated_revision > after_revision, budgets
  // serialized (FeedSubmission::budget_payload). A SQLite store whose schema
  // is not written yet reads as empty.
  //
  // With `superseded_through` > 0, a revision at or before it is left out
  // when a later revision of the same unit, year and stage at or before it
  // replaces it (a cycle record is never left out): reading on in batches
  // then applies, for the revisions up to `superseded_through`, what ReadAsOf
  // would, which gives the same state as applying every one of them. A cold
  // start skips the budgets nobody reads any more: at L, 74,000 of 174,000.
  virtual absl::StatusOr<FeedBatch> ReadAfter(int64_t after_unit_seq,
                                              int64_t after_revision, int limit,
                                              int64_t superseded_through) = 0;

  // The store as it was at a past consolidated revision, for reads "as
  // of" it: every registered unit (registrations take no revision), and for
  // `read.years` the latest revision at or before read.revision of each
  // unit, year and stage, and every cycle record at or before it, oldest
  // first, so that applying them in order gives the consolidated state of
  // every stage then; the year locks as of then. One read transaction.
  virtual absl::StatusOr<FeedBatch> ReadAsOf(const AsOfRead& read) = 0;

  // The latest consolidated revision committed at or before `time` (a
  // revision's submitted_at, a control figure's issued_at, an adjustment's
  // approved_at); 0 when none was.
  virtual absl::StatusOr<int64_t> RevisionAt(absl::Time time) = 0;

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

  // Says that the caller is about to read most of the store (a cold
  // backlog), so that a feed reading a local file can ask the kernel to read
  // it ahead. A hint: nothing to report.
  virtual void ReadAheadForBacklog() {}

  // The newest consolidated revision the notifications of the last
  // WaitForChange named (PostgreSQL's NOTIFY payload), for a replica's lag;
  // 0 when none did, and always on SQLite, which has no notifications. A
  // hint only: anyone who may connect can send one.
  virtual int64_t NotifiedRevision() const { return 0; }
};

// For backends: the entry at `consolidated_revision` from its stored row
// (a cycle record's `payload` is a CycleRecord, a revision's a
// UnitBudget, parsed when `parse_budget`, else kept in budget_payload);
// DATA_LOSS when the payload does not parse.
absl::StatusOr<FeedSubmission> FeedEntry(int64_t consolidated_revision,
                                         int64_t unit_revision, int64_t stage,
                                         bool is_record, bool parse_budget,
                                         std::string payload);

// For backends: adds the income and expenditure lines of `entry` to
// `*lines`; RESOURCE_EXHAUSTED once they exceed `max_lines`.
absl::Status CountLines(const FeedSubmission& entry, int64_t max_lines,
                        int64_t* lines);

// For backends' ReadAsOf: read.years as an SQL list ("2023, 2024"; 0 when
// empty), and the time locks must be taken by, in Unix microseconds
// (INT64_MAX when any).
std::string YearList(const AsOfRead& read);
int64_t LocksAtMicros(const AsOfRead& read);

// For backends' RevisionAt: the latest of `records` (cycle records after
// the latest revision submitted by `time` and before the next one, as
// consolidated revision and payload, oldest first) stored by `time`, else
// `submitted`.
absl::StatusOr<int64_t> LatestRecordBy(
    absl::Time time, int64_t submitted,
    const std::vector<std::pair<int64_t, std::string>>& records);

}  // namespace storage

#endif  // STORAGE_SUBMISSION_FEED_H_
