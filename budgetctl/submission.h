// Sends one budget to the ingest service the way `submit` and `import`
// both do: under a request id derived from the budget (request_id.h), so
// that the retries Services::Call makes, and any later re-run, are
// answered with the first result instead of a second revision.
//
// Thread-compatible.
#ifndef BUDGETCTL_SUBMISSION_H_
#define BUDGETCTL_SUBMISSION_H_

#include <string>

#include "budget/v1/budget.pb.h"
#include "budget/v1/ingest_service.pb.h"
#include "budgetctl/services.h"

namespace budgetctl {

struct SubmitOptions {
  bool validate_only = false;
  bool strict = false;
  std::string submitted_by;
  // The cycle's stage (PROPOSAL or SUBMISSION; UNSPECIFIED: outside it).
  budget::v1::BudgetStage stage = budget::v1::BUDGET_STAGE_UNSPECIFIED;
  // When this budget was stored before and another revision has replaced
  // it since (A, then B, then A again), store it again as the newest
  // revision: what `submit` means. False keeps a replay a replay, as a
  // re-run of `import` needs.
  bool make_latest = false;
};

// With options.make_latest, a replay costs one more call (the latest
// revision) and, when that is another budget, one more submission under an
// id naming the revision it follows; when the latest revision is this very
// budget (a re-run after such a submission), its answer is replayed.
grpc::Status SubmitBudget(Services& services,
                          const budget::v1::UnitBudget& budget,
                          const SubmitOptions& options,
                          budget::v1::SubmitBudgetResponse* response);

// Fills `report` with every finding on `budget`, fetched a page at a time
// with IngestService.ValidateBudget: replies and rejections list only the
// first findings.
grpc::Status FetchFullReport(Services& services,
                             const budget::v1::UnitBudget& budget, bool strict,
                             budget::v1::ValidationReport* report);

}  // namespace budgetctl

#endif  // BUDGETCTL_SUBMISSION_H_
