// The ingest use cases without the transport: registers units, validates
// and stores budget revisions with their consolidated totals, records
// reviews and locks years. The gRPC service (ingest_service.h) only
// translates requests and results.
//
// Holds the registry (UnitTree) and the current budgets (Consolidator) in
// memory, rebuilt from the store at start; the store stays the authority.
// Decisions are serialized by one mutex, so the revision numbers it hands
// the store are always the next ones.
//
// A budget is parsed, validated and packed by the caller's thread under a
// shared lock (side by side with other callers), and its request id looked
// up in the store with no lock, only when it may have been used before
// (KnownRequests: a new id costs no store round trip); only the decision
// that needs the latest state (request id, stage, locks), the in-memory
// apply and the queueing take the exclusive lock (which looks the id up
// again only when a batch settled or a cycle record was stored since).
//
// Group commit: an accepted submission is applied in memory and queued;
// the ingestor's commit thread stores everything queued in one store
// transaction (one fsync) while new submissions queue behind it, and
// answers each once its own transaction is durable: SubmitAsync calls its
// `done` from the ingestor's answering thread (so that the next commit
// does not wait for the replies), Submit waits for it. When a transaction
// fails, every submission queued since the last durable one fails (none is
// acknowledged: later ones were decided on top of it) and memory is rolled
// back to the store's state.
//
// Borrows the store, which must outlive it. Thread-safe; destroying it
// waits for the queued submissions to be committed and answered.
#ifndef INGEST_SERVICE_INGESTOR_H_
#define INGEST_SERVICE_INGESTOR_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/audit.pb.h"
#include "budget/v1/cycle.pb.h"
#include "budget/v1/ingest_service.pb.h"
#include "ingest_service/cycle_book.h"
#include "ingest_service/ingest_observer.h"
#include "ingest_service/known_requests.h"
#include "ingest_service/task_thread.h"
#include "storage/budget_store.h"

namespace ingest {

// The answer to one submitted budget.
struct SubmitOutcome {
  // OK, or why not. INVALID_ARGUMENT with a non-empty report when rules
  // broke.
  absl::Status status;
  budget::v1::SubmitBudgetResponse response;  // When OK.
  budget::v1::ValidationReport report;        // Every finding.
  // The audit record given to SubmitAsync was stored in the revision's own
  // transaction (the store AppendsAuditRecords), so it is durable: the
  // caller appends no other record for this call.
  bool audited = false;
};

// The answer to a write of the budget cycle (ingestor_cycle.cc).
template <typename Response>
struct CycleOutcome {
  // OK, or why not. INVALID_ARGUMENT with a non-empty report when rules
  // broke.
  absl::Status status;
  Response response;                    // When OK.
  budget::v1::ValidationReport report;  // Every finding.
  // The call's audit record was stored in the record's own transaction
  // (as SubmitOutcome::audited).
  bool audited = false;
};

// The bytes a budget is stored and compared as: deterministic, so that the
// same budget retried under the same request id serializes the same.
std::string SerializeBudget(const google::protobuf::Message& message);

// What the transport knows of a submission besides its parsed request.
struct Received {
  // The budget's bytes as the caller sent them, when request.budget() was
  // parsed from exactly these (ingest_service/budget_bytes.h): stored as
  // they are instead of serializing the budget again. Unset: serialized.
  std::optional<std::string> budget_bytes;
  // The call's audit record as it reads if the budget is stored (outcome
  // OK): a store that AppendsAuditRecords writes it in the revision's own
  // transaction (SubmitOutcome::audited); otherwise it is unused.
  std::optional<budget::v1::AuditRecord> audit;
};

// The time a write is stamped with.
google::protobuf::Timestamp Now();

// How an ingestor checks budgets.
struct ValidationSettings {
  // The catalogs codes are checked against (borrowed; outlives every
  // ingestor given it): the built-in ones, or an operator's --catalog_dir.
  const budget::Catalog* catalog = &budget::Catalog::Default();
  // Makes every submission strict.
  bool strict = false;
};

class Ingestor {
 public:
  // Loads the registry, the latest budgets and the locks from `store`.
  static absl::StatusOr<std::unique_ptr<Ingestor>> Create(
      storage::BudgetStore* store, ValidationSettings validation);

  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;
  ~Ingestor();

  // Tells `observer` (borrowed; outlives this) of every submission and
  // commit. Call before the ingestor is shared between threads.
  void set_observer(IngestObserver* observer) { observer_ = observer; }
  // The latest durable consolidated revision.
  int64_t ConsolidatedRevision() const;

  // Adds `unit` to the registry once it is durable. Registrations in
  // flight together share one store transaction (ingestor_units.cc).
  absl::StatusOr<budget::v1::Unit> RegisterUnit(const budget::v1::Unit& unit)
      ABSL_LOCKS_EXCLUDED(mu_, register_mu_);
  // Like RegisterUnit, but returns at once unless this caller is the first
  // to find no batch being registered: then it registers batches until none
  // is queued. `done` runs once the unit is durable (or refused), on the
  // thread registering its batch, with nothing locked. `audit` is the
  // call's record as it reads if the unit is registered (outcome OK): a
  // store that AppendsAuditRecords stores it with the unit, and `done` is
  // told so (`audited`); otherwise the caller records the call.
  void RegisterUnitAsync(
      budget::v1::Unit unit, std::optional<budget::v1::AuditRecord> audit,
      absl::AnyInvocable<void(absl::Status, bool audited) &&> done)
      ABSL_LOCKS_EXCLUDED(mu_, register_mu_);
  // `root_code` and everything below it; the whole registry when empty.
  // The node's code and its ancestors' (auth/lineage.h).
  std::vector<std::string> Lineage(absl::string_view code) const;
  absl::StatusOr<std::vector<budget::v1::Unit>> ListUnits(
      const std::string& root_code) const;

  // Validates, then (unless validate_only) stores a new revision and the
  // totals of the unit and its ancestors in one transaction, shared with
  // the submissions queued alongside it; returns once that transaction is
  // durable or has failed. Nothing is queued once `deadline` has passed.
  // `submitted_by` is who the revision is recorded as submitted by (the
  // service attributes the caller); the request's own field is not read.
  SubmitOutcome Submit(const budget::v1::SubmitBudgetRequest& request,
                       absl::string_view submitted_by, absl::Time deadline);
  // Submit without waiting: `done` gets the outcome, from the calling
  // thread when the submission is answered without storing (rejected,
  // replayed, validate_only), else from the answering thread once its
  // transaction is durable or failed. Never blocks on a commit: a retry of
  // a request id still being committed is decided after that commit.
  // `done` must not call back into the ingestor's writes synchronously.
  // When it returns the submission is decided and queued in order: one
  // caller's submissions made one after another are stored in that order.
  // `received` is what the transport adds (the budget's bytes, the audit
  // record), each optional.
  using SubmitDone = absl::AnyInvocable<void(SubmitOutcome)>;
  void SubmitAsync(const budget::v1::SubmitBudgetRequest& request,
                   absl::string_view submitted_by, absl::Time deadline,
                   SubmitDone done, Received received = Received());

  absl::StatusOr<budget::v1::Submission> GetSubmission(
      const budget::v1::GetSubmissionRequest& request) const;
  // One page of the revisions (ingest_service.proto: page_size,
  // page_token); INVALID_ARGUMENT for a token that is not one of ours.
  absl::StatusOr<budget::v1::ListSubmissionsResponse> ListSubmissions(
      const budget::v1::ListSubmissionsRequest& request) const;
  // FAILED_PRECONDITION once the year is locked for the unit or a node
  // above it: a locked budget is final.
  //
  // Review, LockYear, IssueControlFigures, Approve and Adjust take the
  // call's audit record as it reads if the write is stored (outcome OK): a
  // store that AppendsAuditRecords stores it in the write's transaction
  // (then the caller appends none; see AppendsAuditRecords and the
  // outcomes' `audited`).
  absl::StatusOr<budget::v1::Review> Review(
      const budget::v1::ReviewSubmissionRequest& request,
      std::optional<budget::v1::AuditRecord> audit);
  // One page of the validation report of request.budget(), validated as
  // Submit would; INVALID_ARGUMENT for a bad page token or size.
  absl::StatusOr<budget::v1::ValidateBudgetResponse> ValidatePage(
      const budget::v1::ValidateBudgetRequest& request) const;
  // Locks a year for a node. FAILED_PRECONDITION unless at least one unit
  // below the node has a budget for the year and every such unit's latest
  // revision has an approval as its latest review.
  absl::StatusOr<budget::v1::LockYearResponse> LockYear(
      const budget::v1::LockYearRequest& request,
      std::optional<budget::v1::AuditRecord> audit);
  // Whether a successful Review or LockYear stored the record it was given.
  bool AppendsAuditRecords() const { return store_->AppendsAuditRecords(); }

  // The budget cycle (ingestor_cycle.cc). Each write is durable before it
  // returns; a retry under the same request id with the same content gets
  // the first answer (replayed), with other content ALREADY_EXISTS.
  //
  // Issues control figures (BGT-E100 findings, all at once);
  // FAILED_PRECONDITION once the unit's budget for the year is approved.
  CycleOutcome<budget::v1::IssueControlFiguresResponse> IssueControlFigures(
      const budget::v1::IssueControlFiguresRequest& request,
      absl::string_view issued_by,
      std::optional<budget::v1::AuditRecord> audit);
  // Stores a SUBMISSION revision again as the APPROVED one.
  // FAILED_PRECONDITION when it is not the unit's latest revision or not a
  // SUBMISSION, or is over the unit's control figures (report: BGT-E101).
  SubmitOutcome Approve(const budget::v1::ApproveBudgetRequest& request,
                        absl::string_view approved_by, absl::Time deadline,
                        std::optional<budget::v1::AuditRecord> audit);
  // Records an adjustment (BGT-E110..E116 findings, all at once).
  CycleOutcome<budget::v1::AdjustBudgetResponse> Adjust(
      const budget::v1::AdjustBudgetRequest& request,
      absl::string_view approved_by,
      std::optional<budget::v1::AuditRecord> audit);
  absl::StatusOr<budget::v1::ListCycleRecordsResponse> ListCycleRecords(
      const budget::v1::ListCycleRecordsRequest& request) const;
  // The lineage of the node's parent: the nodes strictly above it (empty
  // for a root or an unregistered node). Control figures and approvals
  // come from above the unit.
  std::vector<std::string> ParentLineage(absl::string_view code) const;

 private:
  Ingestor(storage::BudgetStore* store, ValidationSettings validation)
      : store_(store), validation_(validation), consolidator_(&tree_) {}

  absl::Status Load();
  // SubmitAsync without telling the observer.
  void SubmitUnobserved(const budget::v1::SubmitBudgetRequest& request,
                        absl::string_view submitted_by, absl::Time deadline,
                        SubmitDone done, Received received);
  // What a budget's checks found under the shared lock, and what they
  // depended on that a later submission may change.
  struct Checked {
    budget::v1::ValidationReport report;
    std::shared_ptr<const budget::PackedBudget> prior_year;  // As validated.
    std::shared_ptr<const budget::PackedBudget> packed;  // Null: not needed.
    int64_t settled_batches = 0;  // settled_batches_ when checked.
    bool may_be_stored = false;   // The request id's, when checked.
  };
  Checked Check(const budget::v1::SubmitBudgetRequest& request) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Commits queued batches until the ingestor is destroyed.
  void CommitLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Loads the cycle records (ingestor_cycle.cc).
  absl::Status LoadCycle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The stage rules of a submission (ingestor_cycle.cc): adds the control
  // findings of a SUBMISSION to `report`; FAILED_PRECONDITION when the
  // unit's budget is approved (frozen), INVALID_ARGUMENT for a stage a
  // submission cannot have.
  absl::Status CheckStage(const budget::v1::SubmitBudgetRequest& request,
                          budget::v1::ValidationReport& report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The unit's approved budget with the adjustments stored so far, or
  // nullopt when it has no approved budget (ingestor_cycle.cc).
  absl::StatusOr<std::optional<budget::v1::UnitBudget>> CurrentAdjusted(
      const std::string& unit_code, int32_t year)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `record` at the next consolidated revision, with `reply` (whose
  // revision field `set_revision` fills) as its first answer and `outcome`'s
  // call's `audit`, once no submission is queued; then adds it to the book
  // (ingestor_cycle.cc). Sets outcome.status and outcome.audited.
  template <typename Reply, typename SetRevision>
  void CommitRecord(budget::v1::CycleRecord record, absl::string_view node_code,
                    int32_t year, std::optional<budget::v1::AuditRecord> audit,
                    CycleOutcome<Reply>& outcome, SetRevision set_revision)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Answers `outcome` from the first use of `request_id` when there was
  // one (true): the stored answer when `payload` encodes the same budget
  // and `stage` is the stored revision's, else ALREADY_EXISTS.
  bool AnswerFromEarlier(const std::string& request_id,
                         const std::string& payload,
                         budget::v1::BudgetStage stage, SubmitOutcome& outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // AnswerFromEarlier with `earlier`, the store's FindRequest(request_id).
  static bool AnswerFrom(
      const absl::StatusOr<std::optional<storage::StoredRequest>>& earlier,
      const std::string& request_id, const std::string& payload,
      budget::v1::BudgetStage stage, SubmitOutcome& outcome);
  // Waits until nothing is queued or committing.
  void AwaitSettled() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Every finding on `budget` (validation.h), against the registry and
  // `prior_year` (the unit's prior-year budget; null: none).
  budget::v1::ValidationReport Validate(
      const budget::v1::UnitBudget& budget, bool strict,
      const budget::PackedBudget* prior_year) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Adds BGT-E005 to `report` when, with `budget`, a consolidated sum
  // above its unit would leave int64: what storing it would find, for a
  // budget only validated. Other refusals of the consolidator (an unknown
  // unit) are the submission's own to report.
  void AddConsolidationOverflow(const budget::PackedBudget& budget,
                                budget::v1::ValidationReport& report) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The stage and lock checks of a request whose findings are in
  // outcome.report; fills `outcome`.
  void Decide(const budget::v1::SubmitBudgetRequest& request,
              SubmitOutcome& outcome) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A queued submission and what undoes it in memory.
  struct Queued {
    std::string unit_code;
    int32_t year = 0;
    std::string request_id;
    std::shared_ptr<const budget::PackedBudget> previous;  // Null: none.
    int64_t previous_unit_revision = 0;
    budget::v1::BudgetStage previous_stage =
        budget::v1::BUDGET_STAGE_UNSPECIFIED;
    // Answers the caller with its transaction's status (`status`, set when
    // the transaction ends); called on the answering thread, without the
    // lock.
    absl::AnyInvocable<void(absl::Status)> settle;
    absl::Status status;
  };
  // A retry of a request id still being committed, decided after it.
  struct Parked {
    budget::v1::SubmitBudgetRequest request;
    std::string submitted_by;
    absl::Time deadline;
    SubmitDone done;
    Received received;
  };

  // Stores a decided submission (unless `deadline` has passed) and waits
  // until it is durable or failed; fills `outcome`.
  void StoreDecided(const budget::v1::SubmitBudgetRequest& request,
                    absl::string_view submitted_by, std::string payload,
                    absl::Time deadline,
                    std::optional<budget::v1::AuditRecord> audit,
                    SubmitOutcome& outcome) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies an accepted submission (`packed`: its budget) in memory and
  // queues it for the next transaction, with `audit` when the store
  // AppendsAuditRecords; fills the response. The caller sets
  // queue_.back().settle.
  absl::Status Enqueue(const budget::v1::SubmitBudgetRequest& request,
                       std::shared_ptr<const budget::PackedBudget> packed,
                       absl::string_view submitted_by, std::string payload,
                       std::optional<budget::v1::AuditRecord> audit,
                       SubmitOutcome& outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits everything queued in one transaction, without the lock held
  // while the store syncs, and moves the batch to `settled`: the commit
  // thread answers its callers and frees the budgets it replaced once the
  // lock is released.
  void CommitQueue(std::vector<Queued>& settled)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Undoes `undone` in memory, newest first.
  void RollBack(const std::vector<Queued>& undone)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The latest revision of a unit and year and its stage, queued ones
  // included.
  struct LatestRevision {
    int64_t revision = 0;  // 0: none.
    budget::v1::BudgetStage stage = budget::v1::BUDGET_STAGE_UNSPECIFIED;
  };
  absl::StatusOr<LatestRevision*> LatestUnitRevision(
      const std::string& unit_code, int32_t year)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckNotLocked(const std::string& unit_code, int32_t year) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckApproved(const std::string& unit_code, int32_t year) const;

  // A registration waiting for its transaction (ingestor_units.cc). The
  // leader writes `status` and `deferred`, then runs `done` with `status`.
  struct PendingUnit {
    budget::v1::Unit unit;
    std::optional<budget::v1::AuditRecord> audit;
    absl::AnyInvocable<void(absl::Status, bool audited) &&> done;
    absl::Status status;
    bool audited = false;   // `audit` was stored with the unit.
    bool deferred = false;  // Decided in the next batch.
  };
  // Decides and stores `batch` (one transaction for the units that pass the
  // tree's checks), setting each one's status, or `deferred` for those
  // whose parent or code was accepted earlier in the batch.
  void RegisterBatch(absl::Span<const std::unique_ptr<PendingUnit>> batch)
      ABSL_LOCKS_EXCLUDED(mu_, register_mu_);

  storage::BudgetStore* const store_;
  const ValidationSettings validation_;
  IngestObserver* observer_ = nullptr;
  mutable absl::Mutex mu_;
  budget::UnitTree tree_ ABSL_GUARDED_BY(mu_);
  budget::Consolidator consolidator_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, int32_t>> locks_ ABSL_GUARDED_BY(mu_);
  int64_t consolidated_revision_ ABSL_GUARDED_BY(mu_) = 0;  // Durable.
  int64_t queued_revision_ ABSL_GUARDED_BY(mu_) = 0;        // Last handed out.
  // Per unit and year, read from the store on first use.
  absl::flat_hash_map<std::pair<std::string, int32_t>, LatestRevision>
      unit_revisions_ ABSL_GUARDED_BY(mu_);
  CycleBook cycle_ ABSL_GUARDED_BY(mu_);
  // Waiting for a transaction, in order; the rows to store, one per entry.
  std::vector<Queued> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<storage::NewSubmission> queued_rows_ ABSL_GUARDED_BY(mu_);
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Request ids queued or being committed: a retry waits for the first.
  absl::flat_hash_set<std::string> pending_requests_ ABSL_GUARDED_BY(mu_);
  // Every request id the store holds or was handed since the load.
  KnownRequests known_requests_ ABSL_GUARDED_BY(mu_);
  // Batches whose request ids left pending_requests_ (stored or failed),
  // and cycle records stored: a request id looked up in the store without
  // the lock is looked up again under it when one of these happened
  // meanwhile, which may have stored it.
  int64_t settled_batches_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Parked> parked_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread committer_;  // Runs CommitLoop; started by Create.
  // Answers each settled batch while the commit thread commits the next.
  TaskThread answerer_;
  // Registrations not yet taken by a batch, in arrival order; the one
  // caller registering a batch at a time (the leader) sets `registering_`.
  absl::Mutex register_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::vector<std::unique_ptr<PendingUnit>> register_queue_
      ABSL_GUARDED_BY(register_mu_);
  bool registering_ ABSL_GUARDED_BY(register_mu_) = false;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGESTOR_H_
