// The budget cycle's use cases of the Ingestor (ingestor.h): the stage
// rules of submissions, control figures, approval and adjustments. The
// rules themselves are the domain's (budget/cycle); this file decides with
// the Ingestor's state and stores.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/lineage.h"
#include "budget/cycle/adjustment.h"
#include "budget/cycle/control_figures.h"
#include "budget/cycle/cycle_rules.h"
#include "budget/cycle/stage.h"
#include "budget/money.h"
#include "ingest_service/ingestor.h"

namespace ingest {
namespace {

using budget::v1::BudgetStage;
using budget::v1::CycleRecord;
using budget::v1::UnitBudget;

void Append(std::vector<budget::v1::Violation> found,
            budget::v1::ValidationReport& report) {
  for (budget::v1::Violation& v : found) {
    *report.add_violations() = std::move(v);
  }
  std::vector<budget::v1::Violation> all(report.violations().begin(),
                                         report.violations().end());
  budget::FatalFirst(all);
  report.mutable_violations()->Assign(all.begin(), all.end());
}

bool HasFatal(const std::vector<budget::v1::Violation>& found) {
  return std::any_of(found.begin(), found.end(),
                     [](const budget::v1::Violation& v) {
                       return v.severity() == budget::v1::SEVERITY_FATAL;
                     });
}

// The content a retry must repeat: the record without what the service
// stamps on it.
std::string Content(CycleRecord record) {
  record.clear_consolidated_revision();
  record.clear_request_id();
  if (record.has_control_figures()) {
    record.mutable_control_figures()->clear_issued_by();
    record.mutable_control_figures()->clear_issued_at();
  }
  if (record.has_adjustment()) {
    record.mutable_adjustment()->clear_approved_by();
    record.mutable_adjustment()->clear_approved_at();
  }
  return SerializeBudget(record);
}

// Answers from the first use of `request_id` (true) when there was one:
// its stored reply when its content equals `record`'s, else ALREADY_EXISTS.
template <typename Response>
bool Replay(storage::BudgetStore& store, const CycleRecord& record,
            CycleOutcome<Response>& outcome) {
  absl::StatusOr<std::optional<storage::StoredRequest>> earlier =
      store.FindRequest(record.request_id());
  if (!earlier.ok()) {
    outcome.status = earlier.status();
    return true;
  }
  if (!earlier->has_value()) return false;
  CycleRecord stored;
  if (!stored.ParseFromString((*earlier)->payload) ||
      Content(stored) != Content(record)) {
    outcome.status = absl::AlreadyExistsError(absl::StrCat(
        "request_id ", record.request_id(), " was used for something else"));
  } else if (!outcome.response.ParseFromString((*earlier)->response)) {
    outcome.status = absl::DataLossError("stored answer does not parse");
  } else {
    outcome.response.set_replayed(true);
  }
  return true;
}

budget::v1::NodeTotals TotalsOf(const UnitBudget& budget, int64_t revision) {
  budget::MoneySum income;
  budget::MoneySum expenditure;
  for (const auto& line : budget.income()) income.Add(line.amount_fen());
  for (const auto& line : budget.expenditures()) {
    expenditure.Add(line.amount_fen());
  }
  budget::v1::NodeTotals totals;
  totals.set_node_code(budget.unit_code());
  totals.set_fiscal_year(budget.fiscal_year());
  totals.set_income_fen(income.value());
  totals.set_expenditure_fen(expenditure.value());
  totals.set_revision(revision);
  return totals;
}

absl::Status Frozen(const std::string& unit, int32_t year) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the budget of ", unit, " for ", year,
      " is approved (二下): only adjustments (AdjustBudget) change it"));
}

}  // namespace

absl::Status Ingestor::LoadCycle() {
  return store_->VisitCycleRecords(
      [this](absl::string_view payload) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        CycleRecord record;
        if (!record.ParseFromString(std::string(payload))) {
          return absl::DataLossError("stored cycle record does not parse");
        }
        return cycle_.Add(std::move(record));
      });
}

std::vector<std::string> Ingestor::ParentLineage(absl::string_view code) const {
  absl::ReaderMutexLock lock(&mu_);
  const budget::v1::Unit* unit = tree_.Find(code);
  if (unit == nullptr || unit->parent_code().empty()) return {};
  return auth::Lineage(tree_, unit->parent_code());
}

absl::Status Ingestor::CheckStage(
    const budget::v1::SubmitBudgetRequest& request,
    budget::v1::ValidationReport& report) {
  const BudgetStage stage = request.stage();
  if (stage != budget::v1::BUDGET_STAGE_UNSPECIFIED &&
      stage != budget::v1::BUDGET_STAGE_PROPOSAL &&
      stage != budget::v1::BUDGET_STAGE_SUBMISSION) {
    return absl::InvalidArgumentError(
        "stage: a submission is a PROPOSAL or a SUBMISSION (or has no stage); "
        "approval is ApproveBudget, adjustment AdjustBudget");
  }
  const UnitBudget& budget = request.budget();
  if (tree_.Find(budget.unit_code()) == nullptr) return absl::OkStatus();
  absl::StatusOr<LatestRevision*> latest =
      LatestUnitRevision(budget.unit_code(), budget.fiscal_year());
  if (!latest.ok()) return latest.status();
  if ((*latest)->stage == budget::v1::BUDGET_STAGE_APPROVED) {
    return Frozen(budget.unit_code(), budget.fiscal_year());
  }
  if (stage != budget::v1::BUDGET_STAGE_SUBMISSION) return absl::OkStatus();
  const budget::v1::ControlFigures* control =
      cycle_.Control(budget.unit_code(), budget.fiscal_year());
  if (control == nullptr) {
    Append(
        {budget::CycleViolation(
            budget::cycle_rules::kNoControl, "stage", "SUBMISSION",
            "control figures issued to the unit first",
            absl::StrCat("no control figures (一下) were issued to ",
                         budget.unit_code(), " for ", budget.fiscal_year()))},
        report);
    return absl::OkStatus();
  }
  Append(budget::CheckWithinControl(budget, *control), report);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<UnitBudget>> Ingestor::CurrentAdjusted(
    const std::string& unit_code, int32_t year) {
  absl::StatusOr<LatestRevision*> latest = LatestUnitRevision(unit_code, year);
  if (!latest.ok()) return latest.status();
  std::shared_ptr<const UnitBudget> base =
      consolidator_.Budget(unit_code, year);
  if (base == nullptr ||
      !budget::CountsFor((*latest)->stage, budget::v1::BUDGET_STAGE_APPROVED)) {
    return std::nullopt;
  }
  absl::StatusOr<UnitBudget> adjusted =
      budget::AdjustedBudget(*base, cycle_.AdjustmentsOf(unit_code, year));
  if (!adjusted.ok()) return adjusted.status();
  return std::move(*adjusted);
}

template <typename Reply, typename SetRevision>
void Ingestor::CommitRecord(CycleRecord record, absl::string_view node_code,
                            int32_t year,
                            std::optional<budget::v1::AuditRecord> audit,
                            CycleOutcome<Reply>& outcome,
                            SetRevision set_revision) {
  const int64_t revision = queued_revision_ + 1;
  record.set_consolidated_revision(revision);
  set_revision(outcome.response, revision);
  storage::NewCycleRecord row{
      revision, record.request_id(),     std::string(node_code),
      year,     SerializeBudget(record), outcome.response.SerializeAsString()};
  if (store_->AppendsAuditRecords()) row.audit = std::move(audit);
  // Under the lock: records are rare, and the next revision must not be
  // handed to a submission while this one syncs.
  known_requests_.Add(record.request_id());
  if (absl::Status stored = store_->CommitCycleRecords({&row, 1});
      !stored.ok()) {
    outcome.status = stored;
    return;
  }
  ++settled_batches_;  // Its request id is taken now.
  consolidated_revision_ = queued_revision_ = revision;
  outcome.audited = row.audit.has_value();
  outcome.status = cycle_.Add(std::move(record));
}

CycleOutcome<budget::v1::IssueControlFiguresResponse>
Ingestor::IssueControlFigures(
    const budget::v1::IssueControlFiguresRequest& request,
    absl::string_view issued_by, std::optional<budget::v1::AuditRecord> audit) {
  CycleOutcome<budget::v1::IssueControlFiguresResponse> outcome;
  if (request.request_id().empty()) {
    outcome.status = absl::InvalidArgumentError("request_id is required");
    return outcome;
  }
  CycleRecord record;
  record.set_request_id(request.request_id());
  budget::v1::ControlFigures& figures = *record.mutable_control_figures();
  figures = request.figures();
  figures.set_issued_by(std::string(issued_by));
  *figures.mutable_issued_at() = Now();
  absl::MutexLock lock(&mu_);
  AwaitSettled();
  if (Replay(*store_, record, outcome)) return outcome;
  std::vector<budget::v1::Violation> found =
      budget::CheckControlFigures(figures, tree_);
  if (!found.empty()) {
    Append(std::move(found), outcome.report);
    outcome.status = absl::InvalidArgumentError("control figures rejected");
    return outcome;
  }
  absl::StatusOr<LatestRevision*> latest =
      LatestUnitRevision(figures.unit_code(), figures.fiscal_year());
  if (!latest.ok()) {
    outcome.status = latest.status();
    return outcome;
  }
  if ((*latest)->stage == budget::v1::BUDGET_STAGE_APPROVED) {
    outcome.status = Frozen(figures.unit_code(), figures.fiscal_year());
    return outcome;
  }
  if (absl::Status open =
          CheckNotLocked(figures.unit_code(), figures.fiscal_year());
      !open.ok()) {
    outcome.status = open;
    return outcome;
  }
  *outcome.response.mutable_figures() = figures;
  CommitRecord(
      record, figures.unit_code(), figures.fiscal_year(), std::move(audit),
      outcome,
      [](budget::v1::IssueControlFiguresResponse& reply, int64_t revision) {
        reply.set_consolidated_revision(revision);
      });
  return outcome;
}

SubmitOutcome Ingestor::Approve(const budget::v1::ApproveBudgetRequest& request,
                                absl::string_view approved_by,
                                absl::Time deadline,
                                std::optional<budget::v1::AuditRecord> audit) {
  SubmitOutcome outcome;
  if (request.request_id().empty()) {
    outcome.status = absl::InvalidArgumentError("request_id is required");
    return outcome;
  }
  absl::MutexLock lock(&mu_);
  AwaitSettled();
  absl::StatusOr<budget::v1::Submission> revision = store_->GetSubmission(
      request.unit_code(), request.fiscal_year(), request.revision());
  if (!revision.ok()) {
    outcome.status = revision.status();
    return outcome;
  }
  budget::v1::SubmitBudgetRequest approved;
  approved.set_request_id(request.request_id());
  *approved.mutable_budget() = std::move(*revision->mutable_budget());
  approved.set_stage(budget::v1::BUDGET_STAGE_APPROVED);
  std::string payload = SerializeBudget(approved.budget());
  if (AnswerFromEarlier(request.request_id(), payload,
                        budget::v1::BUDGET_STAGE_APPROVED, outcome)) {
    return outcome;
  }
  absl::StatusOr<LatestRevision*> latest =
      LatestUnitRevision(request.unit_code(), request.fiscal_year());
  if (!latest.ok()) {
    outcome.status = latest.status();
    return outcome;
  }
  if ((*latest)->stage == budget::v1::BUDGET_STAGE_APPROVED) {
    outcome.status = Frozen(request.unit_code(), request.fiscal_year());
    return outcome;
  }
  if (revision->stage() != budget::v1::BUDGET_STAGE_SUBMISSION ||
      revision->revision() != (*latest)->revision) {
    outcome.status = absl::FailedPreconditionError(absl::StrCat(
        "revision ", revision->revision(), " of ", request.unit_code(),
        " is not its latest SUBMISSION (二上); the latest is revision ",
        (*latest)->revision, " (",
        budget::v1::BudgetStage_Name((*latest)->stage), ")"));
    return outcome;
  }
  if (absl::Status open =
          CheckNotLocked(request.unit_code(), request.fiscal_year());
      !open.ok()) {
    outcome.status = open;
    return outcome;
  }
  // Control figures issued after the submission count too.
  if (const budget::v1::ControlFigures* control =
          cycle_.Control(request.unit_code(), request.fiscal_year())) {
    std::vector<budget::v1::Violation> found =
        budget::CheckWithinControl(approved.budget(), *control);
    if (HasFatal(found)) {
      std::string over;
      for (const budget::v1::Violation& v : found) {
        if (v.severity() != budget::v1::SEVERITY_FATAL) continue;
        absl::StrAppend(&over, over.empty() ? "" : "; ", v.rule_id(), " ",
                        v.message(), " (given ", v.given(), ", expected ",
                        v.expected(), ")");
      }
      Append(std::move(found), outcome.report);
      outcome.status = absl::FailedPreconditionError(absl::StrCat(
          "the revision is over its unit's control figures: ", over));
      return outcome;
    }
  }
  StoreDecided(approved, approved_by, std::move(payload), deadline,
               std::move(audit), outcome);
  return outcome;
}

CycleOutcome<budget::v1::AdjustBudgetResponse> Ingestor::Adjust(
    const budget::v1::AdjustBudgetRequest& request,
    absl::string_view approved_by,
    std::optional<budget::v1::AuditRecord> audit) {
  CycleOutcome<budget::v1::AdjustBudgetResponse> outcome;
  if (request.request_id().empty()) {
    outcome.status = absl::InvalidArgumentError("request_id is required");
    return outcome;
  }
  CycleRecord record;
  record.set_request_id(request.request_id());
  budget::v1::Adjustment& adjustment = *record.mutable_adjustment();
  adjustment = request.adjustment();
  adjustment.set_approved_by(std::string(approved_by));
  *adjustment.mutable_approved_at() = Now();
  const int32_t year = adjustment.fiscal_year();
  absl::MutexLock lock(&mu_);
  AwaitSettled();
  if (Replay(*store_, record, outcome)) return outcome;
  // The budgets the adjustment starts from, per unit named.
  std::map<std::string, std::optional<UnitBudget>> current;
  for (const std::string& unit : budget::AdjustedUnits(adjustment)) {
    absl::StatusOr<std::optional<UnitBudget>> adjusted =
        CurrentAdjusted(unit, year);
    if (!adjusted.ok()) {
      outcome.status = adjusted.status();
      return outcome;
    }
    current.emplace(unit, std::move(*adjusted));
  }
  std::vector<budget::v1::Violation> found = budget::CheckAdjustment(
      adjustment, tree_, [&](absl::string_view unit) -> const UnitBudget* {
        auto it = current.find(std::string(unit));
        return it == current.end() || !it->second ? nullptr : &*it->second;
      });
  if (!found.empty()) {
    Append(std::move(found), outcome.report);
    outcome.status = absl::InvalidArgumentError("adjustment rejected");
    return outcome;
  }
  for (const auto& unit : budget::AdjustedUnits(adjustment)) {
    UnitBudget& budget = *current[unit];
    if (absl::Status s = budget::ApplyAdjustment(adjustment, budget); !s.ok()) {
      outcome.status = s;
      return outcome;
    }
    *outcome.response.add_adjusted_totals() = TotalsOf(budget, 0);
  }
  *outcome.response.mutable_adjustment() = adjustment;
  CommitRecord(record, adjustment.node_code(), year, std::move(audit), outcome,
               [](budget::v1::AdjustBudgetResponse& reply, int64_t revision) {
                 reply.set_consolidated_revision(revision);
                 for (budget::v1::NodeTotals& totals :
                      *reply.mutable_adjusted_totals()) {
                   totals.set_revision(revision);
                 }
               });
  return outcome;
}

absl::StatusOr<budget::v1::ListCycleRecordsResponse> Ingestor::ListCycleRecords(
    const budget::v1::ListCycleRecordsRequest& request) const {
  absl::ReaderMutexLock lock(&mu_);
  if (tree_.Find(request.node_code()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no unit ", request.node_code()));
  }
  budget::v1::ListCycleRecordsResponse response;
  for (CycleRecord& record :
       cycle_.RecordsUnder(tree_, request.node_code(), request.fiscal_year())) {
    *response.add_records() = std::move(record);
  }
  return response;
}

}  // namespace ingest
