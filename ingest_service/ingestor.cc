#include "ingest_service/ingestor.h"

#include <malloc.h>

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "auth/lineage.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/path_totals.h"
#include "budget/money.h"
#include "budget/utf8.h"
#include "budget/validation/limits.h"
#include "budget/validation/rules.h"
#include "budget/validation/validator.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "ingest_service/page_bytes.h"

namespace ingest {
namespace {

using budget::v1::SubmitBudgetRequest;
using budget::v1::UnitBudget;

// A page of a listing: [offset, offset + size).
struct PageWindow {
  int offset = 0;
  int size = 0;
};

// Page sizes: the default and the largest a caller may ask.
struct PageSizes {
  int fallback;
  int max;
};
constexpr PageSizes kFindingsPage = {100, 1'000};
constexpr PageSizes kRevisionsPage = {100, 100};

// Tokens are the offset of the page's first element, prefixed so that a
// token of another listing is recognisably foreign.
constexpr absl::string_view kTokenPrefix = "o";

std::string PageToken(int offset) { return absl::StrCat(kTokenPrefix, offset); }

absl::StatusOr<PageWindow> ParsePage(int32_t page_size,
                                     const std::string& page_token,
                                     PageSizes sizes) {
  PageWindow window;
  if (page_size < 0 || page_size > sizes.max) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size ", page_size, ": expected 1 to ", sizes.max,
                     " (0 for ", sizes.fallback, ")"));
  }
  window.size = page_size == 0 ? sizes.fallback : page_size;
  if (page_token.empty()) return window;
  absl::string_view digits = page_token;
  if (!absl::ConsumePrefix(&digits, kTokenPrefix) ||
      !absl::SimpleAtoi(digits, &window.offset) || window.offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_token \"", page_token,
                     "\" is not a next_page_token of this listing"));
  }
  return window;
}

// A consolidated sum above the unit would leave int64 with a budget
// (`overflow`, the consolidator's OUT_OF_RANGE): the budget is refused as
// its own lines would be (BGT-E005), so the submitter reads a rule, not a
// hint to read the service's log.
void AddOverflowFinding(const absl::Status& overflow,
                        budget::v1::ValidationReport& report) {
  budget::v1::Violation* finding = report.add_violations();
  finding->set_rule_id(std::string(budget::rules::kOverflow.id));
  finding->set_severity(budget::v1::SEVERITY_FATAL);
  finding->set_field_path("expenditures");
  finding->set_given(std::string(overflow.message()));
  finding->set_expected("consolidated sums within int64 fen");
  finding->set_message(
      "With this budget a consolidated total above the unit would exceed "
      "int64 fen (92,233,720,368,547,758.07 yuan); check the amounts' "
      "units.");
}

// The transfers a refused lock names (at most 20, then how many more), each
// with both sides in yuan: a gap of a few fen must show.
constexpr size_t kTransfersNamed = 20;
std::string DisagreeingTransfersText(
    const std::vector<budget::TransferMismatch>& disagreeing) {
  std::vector<std::string> named;
  for (size_t i = 0; i < disagreeing.size() && i < kTransfersNamed; ++i) {
    const budget::TransferMismatch& m = disagreeing[i];
    named.push_back(
        absl::StrCat(m.payer_unit, " pays ", m.payee_unit, " ",
                     budget::FormatYuan(m.paid_fen), " yuan (",
                     m.kind == budget::v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR
                         ? "上缴上级支出"
                         : "对附属单位补助支出",
                     ") and ", m.payee_unit, " books ",
                     budget::FormatYuan(m.received_fen), " yuan received"));
  }
  if (disagreeing.size() > kTransfersNamed) {
    named.push_back(
        absl::StrCat("and ", disagreeing.size() - kTransfersNamed, " more"));
  }
  return absl::StrJoin(named, "; ");
}

}  // namespace

google::protobuf::Timestamp Now() {
  int64_t micros = absl::ToUnixMicros(absl::Now());
  google::protobuf::Timestamp ts;
  ts.set_seconds(micros / 1'000'000);
  ts.set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  return ts;
}

std::string SerializeBudget(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

namespace {

// Whether two stored budgets are the same: the same bytes, or (a caller's
// serializer may order fields otherwise) the same once parsed.
bool SameBudget(const std::string& stored, const std::string& given) {
  if (stored == given) return true;
  UnitBudget first;
  UnitBudget second;
  return first.ParseFromString(stored) && second.ParseFromString(given) &&
         SerializeBudget(first) == SerializeBudget(second);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Ingestor>> Ingestor::Create(
    storage::BudgetStore* store, ValidationSettings validation) {
  std::unique_ptr<Ingestor> ingestor(new Ingestor(store, validation));
  if (absl::Status loaded = ingestor->Load(); !loaded.ok()) return loaded;
  ingestor->committer_ =
      std::thread([raw = ingestor.get()] { raw->CommitLoop(); });
  return ingestor;
}

Ingestor::~Ingestor() {
  if (!committer_.joinable()) return;  // Never loaded.
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  committer_.join();
  answerer_.Stop();
}

void Ingestor::CommitLoop() {
  auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  };
  for (;;) {
    std::vector<Queued> settled;
    std::vector<Parked> parked;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&work));
      if (queue_.empty()) {
        // Stopping with nothing queued: a parked retry's first attempt is
        // settled, so nothing it waits for remains.
        parked = std::exchange(parked_, {});
        if (parked.empty()) return;
      } else {
        CommitQueue(settled);
        parked = std::exchange(parked_, {});
      }
    }
    // Answered without the lock, and on the answerer's thread: writing the
    // replies (and freeing the replaced budgets) took a quarter of this
    // thread's time, during which no commit ran (docs/benchmarks.md,
    // round 15).
    if (!settled.empty()) {
      answerer_.Post([settled = std::move(settled)]() mutable {
        for (Queued& queued : settled) {
          std::move(queued.settle)(std::move(queued.status));
        }
      });
    }
    for (Parked& retry : parked) {
      SubmitUnobserved(retry.request, retry.submitted_by, retry.deadline,
                       std::move(retry.done), std::move(retry.received));
    }
  }
}

absl::Status Ingestor::Load() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<budget::v1::Unit>> units = store_->LoadUnits();
  if (!units.ok()) return units.status();
  for (const budget::v1::Unit& unit : *units) {
    if (absl::Status added = tree_.Add(unit); !added.ok()) return added;
  }
  consolidator_.BeginBulkLoad();
  absl::Status loaded = store_->VisitLatestBudgets(
      [this](const UnitBudget& budget) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return consolidator_.ReplacePackedBudget(
            std::make_shared<const budget::PackedBudget>(budget));
      });
  consolidator_.EndBulkLoad();
  // The rollups' cells were held in hash maps until EndBulkLoad compacted
  // them; glibc keeps what they freed in its arenas unless asked.
  malloc_trim(0);
  if (!loaded.ok()) return loaded;
  absl::StatusOr<std::vector<storage::YearLock>> locks = store_->LoadLocks();
  if (!locks.ok()) return locks.status();
  for (const storage::YearLock& year_lock : *locks) {
    locks_.emplace(year_lock.node_code, year_lock.fiscal_year);
  }
  absl::StatusOr<int64_t> revision = store_->ConsolidatedRevision();
  if (!revision.ok()) return revision.status();
  consolidated_revision_ = *revision;
  queued_revision_ = *revision;
  if (absl::Status known = known_requests_.Load(*store_); !known.ok()) {
    return known;
  }
  return LoadCycle();
}

std::vector<std::string> Ingestor::Lineage(absl::string_view code) const {
  // Shared: a submission reads lineages four times (its access check and
  // its reply's totals) beside other submissions' checks.
  absl::ReaderMutexLock lock(&mu_);
  return auth::Lineage(tree_, code);
}

absl::StatusOr<std::vector<budget::v1::Unit>> Ingestor::ListUnits(
    const std::string& root_code) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<const budget::v1::Unit*> roots;
  if (root_code.empty()) {
    roots = tree_.Roots();
  } else if (const budget::v1::Unit* root = tree_.Find(root_code)) {
    roots.push_back(root);
  } else {
    return absl::NotFoundError(absl::StrCat("no unit ", root_code));
  }
  std::vector<budget::v1::Unit> out;
  for (const budget::v1::Unit* root : roots) {
    for (const budget::UnitTree::Visit& visit : tree_.Subtree(root->code())) {
      out.push_back(*visit.unit);
    }
  }
  return out;
}

int64_t Ingestor::ConsolidatedRevision() const {
  absl::ReaderMutexLock lock(&mu_);
  return consolidated_revision_;
}

SubmitOutcome Ingestor::Submit(const SubmitBudgetRequest& request,
                               absl::string_view submitted_by,
                               absl::Time deadline) {
  SubmitOutcome outcome;
  absl::Notification answered;
  SubmitAsync(request, submitted_by, deadline,
              [&outcome, &answered](SubmitOutcome given) {
                outcome = std::move(given);
                answered.Notify();
              });
  answered.WaitForNotification();
  return outcome;
}

void Ingestor::SubmitAsync(const SubmitBudgetRequest& request,
                           absl::string_view submitted_by, absl::Time deadline,
                           SubmitDone done, Received received) {
  if (observer_ != nullptr && !request.validate_only()) {
    done = [observer = observer_,
            done = std::move(done)](SubmitOutcome outcome) mutable {
      observer->Submitted(outcome.status, outcome.report);
      std::move(done)(std::move(outcome));
    };
  }
  SubmitUnobserved(request, submitted_by, deadline, std::move(done),
                   std::move(received));
}

Ingestor::Checked Ingestor::Check(const SubmitBudgetRequest& request) const {
  const UnitBudget& budget = request.budget();
  Checked checked;
  {
    absl::ReaderMutexLock lock(&mu_);
    checked.settled_batches = settled_batches_;  // Before the id's look-up.
    checked.may_be_stored = known_requests_.MayBeStored(request.request_id());
    checked.prior_year =
        consolidator_.Packed(budget.unit_code(), budget.fiscal_year() - 1);
    checked.report =
        Validate(budget, request.strict(), checked.prior_year.get());
  }
  // Packed here, outside the exclusive lock, for a budget only validated
  // too: its consolidation is checked (AddConsolidationOverflow).
  if (!budget::HasFatal(checked.report)) {
    checked.packed = std::make_shared<const budget::PackedBudget>(budget);
  }
  return checked;
}

void Ingestor::SubmitUnobserved(const SubmitBudgetRequest& request,
                                absl::string_view submitted_by,
                                absl::Time deadline, SubmitDone done,
                                Received received) {
  SubmitOutcome outcome;
  if (request.request_id().empty()) {
    outcome.status = absl::InvalidArgumentError("request_id is required");
    std::move(done)(std::move(outcome));
    return;
  }
  // Printed in every history listing.
  if (absl::Status plain =
          budget::CheckNoControlCharacter("submitted_by", submitted_by);
      !plain.ok()) {
    outcome.status = plain;
    std::move(done)(std::move(outcome));
    return;
  }
  Checked checked = Check(request);
  std::string payload = received.budget_bytes.has_value()
                            ? *std::move(received.budget_bytes)
                            : SerializeBudget(request.budget());
  // Looked up without the lock (a round trip on PostgreSQL), so that
  // deciding other submissions does not wait for it; only when it may have
  // been used.
  absl::StatusOr<std::optional<storage::StoredRequest>> earlier = std::nullopt;
  if (!request.validate_only() && checked.may_be_stored) {
    earlier = store_->FindRequest(request.request_id());
  }
  {
    absl::MutexLock lock(&mu_);
    bool replayed = false;
    if (!request.validate_only()) {
      // A retry racing its first attempt answers from the store once that
      // attempt's transaction ends.
      if (pending_requests_.contains(request.request_id())) {
        received.budget_bytes = std::move(payload);  // Decided again later.
        parked_.push_back({request, std::string(submitted_by), deadline,
                           std::move(done), std::move(received)});
        return;
      }
      // An id stored since the look-up (or the check, when there was
      // none) was pending until its batch settled, or is a cycle record's.
      if (settled_batches_ != checked.settled_batches &&
          known_requests_.MayBeStored(request.request_id())) {
        earlier = store_->FindRequest(request.request_id());
      }
      replayed = AnswerFrom(earlier, request.request_id(), payload,
                            request.stage(), outcome);
    }
    if (!replayed) {
      const UnitBudget& budget = request.budget();
      if (consolidator_.Packed(budget.unit_code(), budget.fiscal_year() - 1) !=
          checked.prior_year) {
        // The prior year changed since the check: validated again against
        // the current one. (The registry only grows, so a check against it
        // still holds.)
        checked.prior_year =
            consolidator_.Packed(budget.unit_code(), budget.fiscal_year() - 1);
        checked.report =
            Validate(budget, request.strict(), checked.prior_year.get());
        if (checked.packed == nullptr && !budget::HasFatal(checked.report)) {
          checked.packed = std::make_shared<const budget::PackedBudget>(budget);
        }
      }
      outcome.report = std::move(checked.report);
      if (request.validate_only() && checked.packed != nullptr &&
          !budget::HasFatal(outcome.report)) {
        AddConsolidationOverflow(*checked.packed, outcome.report);
      }
      Decide(request, outcome);
      if (outcome.status.ok() && !request.validate_only()) {
        if (absl::Now() > deadline) {
          outcome.status =
              absl::DeadlineExceededError("deadline passed; not stored");
        } else {
          outcome.status =
              Enqueue(request, std::move(checked.packed), submitted_by,
                      std::move(payload), std::move(received.audit), outcome);
        }
        if (outcome.status.ok()) {
          const bool audited = queued_rows_.back().audit.has_value();
          queue_.back().settle =
              [outcome = std::move(outcome), audited,
               done = std::move(done)](absl::Status committed) mutable {
                outcome.status = std::move(committed);
                // A failed transaction took the record with it.
                outcome.audited = audited && outcome.status.ok();
                if (!outcome.status.ok()) outcome.response.Clear();
                std::move(done)(std::move(outcome));
              };
          return;
        }
      }
    }
  }
  // Answered without the lock: `done` may read the ingestor.
  std::move(done)(std::move(outcome));
}

void Ingestor::StoreDecided(const SubmitBudgetRequest& request,
                            absl::string_view submitted_by, std::string payload,
                            absl::Time deadline,
                            std::optional<budget::v1::AuditRecord> audit,
                            SubmitOutcome& outcome) {
  if (absl::Now() > deadline) {
    outcome.status = absl::DeadlineExceededError("deadline passed; not stored");
    return;
  }
  outcome.status = Enqueue(
      request, std::make_shared<const budget::PackedBudget>(request.budget()),
      submitted_by, std::move(payload), std::move(audit), outcome);
  if (!outcome.status.ok()) return;
  const bool audited = queued_rows_.back().audit.has_value();
  bool settled = false;
  queue_.back().settle = [this, &outcome, &settled,
                          audited](absl::Status committed) {
    absl::MutexLock lock(&mu_);
    outcome.status = std::move(committed);
    // A failed transaction took the record with it.
    outcome.audited = audited && outcome.status.ok();
    settled = true;
  };
  mu_.Await(absl::Condition(&settled));
  if (!outcome.status.ok()) outcome.response.Clear();
}

bool Ingestor::AnswerFromEarlier(const std::string& request_id,
                                 const std::string& payload,
                                 budget::v1::BudgetStage stage,
                                 SubmitOutcome& outcome) {
  return AnswerFrom(store_->FindRequest(request_id), request_id, payload, stage,
                    outcome);
}

bool Ingestor::AnswerFrom(
    const absl::StatusOr<std::optional<storage::StoredRequest>>& earlier,
    const std::string& request_id, const std::string& payload,
    budget::v1::BudgetStage stage, SubmitOutcome& outcome) {
  if (!earlier.ok()) {
    outcome.status = earlier.status();
    return true;
  }
  if (!earlier->has_value()) return false;
  const int stored_stage = (*earlier)->stage;
  if (!SameBudget((*earlier)->payload, payload)) {
    outcome.status = absl::AlreadyExistsError(absl::StrCat(
        "request_id ", request_id, " was used for a different budget"));
  } else if (stored_stage != storage::StoredRequest::kNoStage &&
             stored_stage != stage) {
    // A retry repeats its request whole: the same budget sent for another
    // stage is another request, which must not be told it was stored.
    outcome.status = absl::AlreadyExistsError(absl::StrCat(
        "request_id ", request_id, " was used for the same budget as stage ",
        budget::v1::BudgetStage_Name(
            static_cast<budget::v1::BudgetStage>(stored_stage)),
        "; this request is stage ", budget::v1::BudgetStage_Name(stage)));
  } else if (!outcome.response.ParseFromString((*earlier)->response)) {
    outcome.status = absl::DataLossError("stored answer does not parse");
  } else {
    outcome.response.set_replayed(true);
  }
  return true;
}

budget::v1::ValidationReport Ingestor::Validate(
    const UnitBudget& budget, bool strict,
    const budget::PackedBudget* prior_year) const {
  budget::ValidationContext context;
  context.catalog = validation_.catalog;
  context.registry = &tree_;
  std::optional<UnitBudget> prior;
  if (prior_year != nullptr) prior = prior_year->Unpack();
  context.prior_year = prior ? &*prior : nullptr;
  context.strict = validation_.strict || strict;
  return budget::ValidateUnitBudget(budget, context);
}

void Ingestor::AddConsolidationOverflow(
    const budget::PackedBudget& budget,
    budget::v1::ValidationReport& report) const {
  if (absl::Status checked = consolidator_.CheckReplacement(budget);
      absl::IsOutOfRange(checked)) {
    AddOverflowFinding(checked, report);
  }
}

void Ingestor::Decide(const SubmitBudgetRequest& request,
                      SubmitOutcome& outcome) {
  const UnitBudget& budget = request.budget();
  if (absl::Status staged = CheckStage(request, outcome.report); !staged.ok()) {
    outcome.status = staged;
    return;
  }
  if (budget::HasFatal(outcome.report)) {
    outcome.status = absl::InvalidArgumentError("budget rejected");
    return;
  }
  // The reply (and the stored revision) list the first warnings only.
  budget::v1::ValidationReport listed =
      budget::ReportWindow(outcome.report, 0, budget::kMaxFindingsPerReply);
  *outcome.response.mutable_warnings() =
      std::move(*listed.mutable_violations());
  *outcome.response.mutable_omitted_warnings() =
      std::move(*listed.mutable_omitted());
  outcome.status = CheckNotLocked(budget.unit_code(), budget.fiscal_year());
}

absl::StatusOr<budget::v1::ValidateBudgetResponse> Ingestor::ValidatePage(
    const budget::v1::ValidateBudgetRequest& request) const {
  absl::StatusOr<PageWindow> window =
      ParsePage(request.page_size(), request.page_token(), kFindingsPage);
  if (!window.ok()) return window.status();
  const UnitBudget& budget = request.budget();
  budget::v1::ValidationReport report;
  {
    absl::ReaderMutexLock lock(&mu_);
    report = Validate(
        budget, request.strict(),
        consolidator_.Packed(budget.unit_code(), budget.fiscal_year() - 1)
            .get());
  }
  if (!budget::HasFatal(report)) {
    // Packed without the lock, which the commit thread waits for.
    const budget::PackedBudget packed(budget);
    absl::ReaderMutexLock lock(&mu_);
    AddConsolidationOverflow(packed, report);
  }
  budget::v1::ValidateBudgetResponse response;
  response.set_acceptable(!budget::HasFatal(report));
  response.set_total_size(report.violations_size());
  *response.mutable_omitted() = report.omitted();
  for (int i = window->offset;
       i < report.violations_size() && i < window->offset + window->size; ++i) {
    *response.add_violations() = std::move(*report.mutable_violations(i));
  }
  if (window->offset + window->size < report.violations_size()) {
    response.set_next_page_token(PageToken(window->offset + window->size));
  }
  return response;
}

absl::Status Ingestor::CheckNotLocked(const std::string& unit_code,
                                      int32_t year) const {
  for (const budget::v1::Unit* node : tree_.PathToRoot(unit_code)) {
    if (locks_.count({node->code(), year}) > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("year ", year, " is locked for ", node->code()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Ingestor::LatestRevision*> Ingestor::LatestUnitRevision(
    const std::string& unit_code, int32_t year) {
  auto [known, added] = unit_revisions_.try_emplace({unit_code, year});
  if (added) {
    absl::StatusOr<budget::v1::Submission> latest =
        store_->GetSubmission(unit_code, year, 0);
    if (!latest.ok() && !absl::IsNotFound(latest.status())) {
      unit_revisions_.erase(known);
      return latest.status();
    }
    if (latest.ok()) known->second = {latest->revision(), latest->stage()};
  }
  return &known->second;
}

absl::Status Ingestor::Enqueue(
    const SubmitBudgetRequest& request,
    std::shared_ptr<const budget::PackedBudget> budget,
    absl::string_view submitted_by, std::string payload,
    std::optional<budget::v1::AuditRecord> audit, SubmitOutcome& outcome) {
  const std::string& unit = budget->unit_code();
  const int32_t year = budget->fiscal_year();
  absl::StatusOr<LatestRevision*> unit_revision =
      LatestUnitRevision(unit, year);
  if (!unit_revision.ok()) return unit_revision.status();
  std::shared_ptr<const budget::PackedBudget> previous =
      consolidator_.Packed(unit, year);
  if (absl::Status replaced = consolidator_.ReplacePackedBudget(budget);
      !replaced.ok()) {
    if (!absl::IsOutOfRange(replaced)) return replaced;
    AddOverflowFinding(replaced, outcome.report);
    return absl::InvalidArgumentError("budget rejected");
  }

  LatestRevision& latest = **unit_revision;
  queue_.push_back({unit,
                    year,
                    request.request_id(),
                    std::move(previous),
                    latest.revision,
                    latest.stage,
                    {},
                    {}});
  storage::NewSubmission& submission = queued_rows_.emplace_back();
  budget::v1::Submission& meta = submission.metadata;
  budget::v1::SubmitBudgetResponse& response = outcome.response;
  meta.set_unit_code(unit);
  meta.set_fiscal_year(year);
  meta.set_revision(++latest.revision);
  meta.set_stage(request.stage());
  latest.stage = request.stage();
  meta.set_consolidated_revision(++queued_revision_);
  meta.set_request_id(request.request_id());
  meta.set_submitted_by(std::string(submitted_by));
  *meta.mutable_submitted_at() = Now();
  *meta.mutable_warnings() = response.warnings();
  response.set_revision(meta.revision());
  response.set_consolidated_revision(meta.consolidated_revision());
  for (budget::v1::NodeTotals& totals : budget::TotalsAlongPath(
           consolidator_, unit, year, meta.consolidated_revision())) {
    *response.add_totals() = std::move(totals);
  }
  submission.totals.assign(response.totals().begin(), response.totals().end());
  submission.payload = std::move(payload);
  submission.response = response.SerializeAsString();
  if (store_->AppendsAuditRecords()) submission.audit = std::move(audit);
  pending_requests_.insert(request.request_id());
  known_requests_.Add(request.request_id());
  return absl::OkStatus();
}

void Ingestor::CommitQueue(std::vector<Queued>& settled) {
  std::vector<Queued> batch = std::exchange(queue_, {});
  std::vector<storage::NewSubmission> rows = std::exchange(queued_rows_, {});
  committing_ = true;
  mu_.Unlock();
  // Submissions arriving now are decided and queued for the next batch.
  absl::Time start = absl::Now();
  absl::Status committed = store_->CommitSubmissions(rows);
  if (observer_ != nullptr) {
    observer_->Committed(rows.size(), absl::Now() - start, committed);
  }
  mu_.Lock();
  committing_ = false;
  if (committed.ok()) {
    consolidated_revision_ = rows.back().metadata.consolidated_revision();
  } else {
    // Those queued meanwhile were decided on top of the failed batch.
    for (Queued& queued : queue_) batch.push_back(std::move(queued));
    queue_.clear();
    queued_rows_.clear();
    RollBack(batch);
  }
  for (Queued& queued : batch) {
    queued.status = committed;
    pending_requests_.erase(queued.request_id);
    settled.push_back(std::move(queued));
  }
  ++settled_batches_;
}

void Ingestor::RollBack(const std::vector<Queued>& undone) {
  // Memory follows the store: newest first, down to what the store holds.
  for (auto queued = undone.rbegin(); queued != undone.rend(); ++queued) {
    absl::Status restored =
        queued->previous
            ? consolidator_.ReplacePackedBudget(queued->previous)
            : consolidator_.RemoveUnitBudget(queued->unit_code, queued->year);
    restored.IgnoreError();  // It was accepted before; it fits again.
    unit_revisions_[{queued->unit_code, queued->year}] = {
        queued->previous_unit_revision, queued->previous_stage};
  }
  queued_revision_ = consolidated_revision_;
}

absl::StatusOr<budget::v1::Submission> Ingestor::GetSubmission(
    const budget::v1::GetSubmissionRequest& request) const {
  return store_->GetSubmission(request.unit_code(), request.fiscal_year(),
                               request.revision());
}

absl::StatusOr<budget::v1::ListSubmissionsResponse> Ingestor::ListSubmissions(
    const budget::v1::ListSubmissionsRequest& request) const {
  absl::StatusOr<PageWindow> window =
      ParsePage(request.page_size(), request.page_token(), kRevisionsPage);
  if (!window.ok()) return window.status();
  {
    // An unknown unit is NOT_FOUND, as for every other call, not an empty
    // history that reads like a unit with nothing submitted.
    absl::ReaderMutexLock lock(&mu_);
    if (tree_.Find(request.unit_code()) == nullptr) {
      return absl::NotFoundError(absl::StrCat("no unit ", request.unit_code()));
    }
  }
  absl::StatusOr<std::vector<budget::v1::Submission>> all =
      store_->ListSubmissions(request.unit_code(), request.fiscal_year(),
                              !request.metadata_only());
  if (!all.ok()) return all.status();
  budget::v1::ListSubmissionsResponse response;
  const int count = static_cast<int>(all->size());
  int next = window->offset;
  size_t bytes = 0;
  for (; next < count && next < window->offset + window->size; ++next) {
    if (next > window->offset && bytes >= kPageBytes) break;
    bytes += (*all)[next].ByteSizeLong();
    *response.add_submissions() = std::move((*all)[next]);
  }
  if (next < count) response.set_next_page_token(PageToken(next));
  return response;
}

absl::StatusOr<budget::v1::Review> Ingestor::Review(
    const budget::v1::ReviewSubmissionRequest& request,
    std::optional<budget::v1::AuditRecord> audit) {
  if (request.decision() == budget::v1::REVIEW_DECISION_UNSPECIFIED ||
      !budget::v1::ReviewDecision_IsValid(request.decision())) {
    return absl::InvalidArgumentError("decision must be APPROVED or RETURNED");
  }
  if (request.decision() == budget::v1::REVIEW_DECISION_RETURNED &&
      request.comment().empty()) {
    return absl::InvalidArgumentError("a returned budget needs a comment");
  }
  for (const auto& [what, text] :
       {std::pair<absl::string_view, absl::string_view>{"comment",
                                                        request.comment()},
        {"reviewer", request.reviewer()}}) {
    if (absl::Status plain = budget::CheckNoControlCharacter(what, text);
        !plain.ok()) {
      return plain;
    }
  }
  budget::v1::Review review;
  review.set_unit_code(request.unit_code());
  review.set_fiscal_year(request.fiscal_year());
  review.set_revision(request.revision());
  review.set_decision(request.decision());
  review.set_comment(request.comment());
  review.set_reviewer(request.reviewer());
  *review.mutable_reviewed_at() = Now();
  // Under the write lock so that LockYear sees reviews in a settled order.
  absl::MutexLock lock(&mu_);
  if (absl::Status open =
          CheckNotLocked(request.unit_code(), request.fiscal_year());
      !open.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(open.message(),
                     ": its budget is final and can no "
                     "longer be reviewed"));
  }
  if (!store_->AppendsAuditRecords()) audit.reset();
  if (absl::Status stored = store_->AddReview(
          review, audit.has_value()
                      ? absl::Span<const budget::v1::AuditRecord>(&*audit, 1)
                      : absl::Span<const budget::v1::AuditRecord>());
      !stored.ok()) {
    return stored;
  }
  return review;
}

void Ingestor::AwaitSettled() {
  auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.empty() && !committing_;
  };
  mu_.Await(absl::Condition(&settled));
}

absl::Status Ingestor::CheckApproved(const std::string& unit_code,
                                     int32_t year) const {
  absl::StatusOr<budget::v1::Submission> latest =
      store_->GetSubmission(unit_code, year, 0);
  if (!latest.ok()) return latest.status();
  // An APPROVED revision (二下) is approved by being one.
  if (latest->stage() != budget::v1::BUDGET_STAGE_APPROVED &&
      (latest->reviews().empty() || latest->reviews().rbegin()->decision() !=
                                        budget::v1::REVIEW_DECISION_APPROVED)) {
    return absl::FailedPreconditionError(
        absl::StrCat(unit_code, " revision ", latest->revision()));
  }
  return absl::OkStatus();
}

absl::StatusOr<budget::v1::LockYearResponse> Ingestor::LockYear(
    const budget::v1::LockYearRequest& request,
    std::optional<budget::v1::AuditRecord> audit) {
  absl::MutexLock lock(&mu_);
  // Decides on durable revisions only: queued ones may still fail.
  AwaitSettled();
  const int32_t year = request.fiscal_year();
  if (tree_.Find(request.node_code()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no unit ", request.node_code()));
  }
  int budgets = 0;
  std::vector<std::string> unapproved;
  for (const budget::UnitTree::Visit& visit :
       tree_.Subtree(request.node_code())) {
    const std::string& code = visit.unit->code();
    if (consolidator_.Budget(code, year) == nullptr) continue;
    ++budgets;
    absl::Status approved = CheckApproved(code, year);
    if (absl::IsFailedPrecondition(approved)) {
      unapproved.emplace_back(approved.message());
    } else if (!approved.ok()) {
      return approved;
    }
  }
  if (budgets == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no budget below ", request.node_code(), " for ", year, " to lock"));
  }
  if (!unapproved.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "latest revision not approved: ", absl::StrJoin(unapproved, ", ")));
  }
  if (std::vector<budget::TransferMismatch> disagreeing =
          consolidator_.Reconcile(request.node_code(), year);
      !disagreeing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "internal transfers disagree, so ", request.node_code(), " ", year,
        " does not balance: ", DisagreeingTransfersText(disagreeing)));
  }
  if (locks_.count({request.node_code(), year}) > 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        "year ", year, " is already locked for ", request.node_code()));
  }
  storage::YearLock year_lock{request.node_code(), year, request.locked_by(),
                              absl::ToUnixMicros(absl::Now()),
                              consolidated_revision_};
  if (store_->AppendsAuditRecords()) year_lock.audit = std::move(audit);
  if (absl::Status stored = store_->AddLock(year_lock); !stored.ok()) {
    // The store's message names its tables and statements: for the log,
    // not for the caller.
    absl::FPrintF(stderr, "ingest_service: LockYear %s %d: %s\n",
                  request.node_code(), year, stored.ToString());
    return absl::Status(
        stored.code(),
        absl::StrCat("the lock of ", request.node_code(), " ", year,
                     " could not be stored; the "
                     "service log has the store's error"));
  }
  locks_.emplace(request.node_code(), year);
  budget::v1::LockYearResponse response;
  response.set_node_code(request.node_code());
  response.set_fiscal_year(year);
  response.set_consolidated_revision(consolidated_revision_);
  return response;
}

}  // namespace ingest
