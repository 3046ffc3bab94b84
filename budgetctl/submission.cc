#include "budgetctl/submission.h"

#include "absl/strings/str_cat.h"
#include "budget/cycle/stage.h"
#include "budgetctl/request_id.h"

namespace budgetctl {

grpc::Status SubmitBudget(Services& services,
                          const budget::v1::UnitBudget& budget,
                          const SubmitOptions& options,
                          budget::v1::SubmitBudgetResponse* response) {
  budget::v1::SubmitBudgetRequest request;
  std::string id = SubmitRequestId(budget);
  // The same budget as a proposal and as a submission are two revisions.
  if (options.stage != budget::v1::BUDGET_STAGE_UNSPECIFIED) {
    id = absl::StrCat(id, "-", budget::StageName(options.stage));
  }
  request.set_stage(options.stage);
  // A dry run must not claim the id the real submission will use.
  request.set_request_id(options.validate_only ? id + "-dry-run" : id);
  *request.mutable_budget() = budget;
  request.set_validate_only(options.validate_only);
  request.set_strict(options.strict);
  request.set_submitted_by(options.submitted_by);
  auto send = [&] {
    return services.Call([&](grpc::ClientContext& context) {
      return services.ingest().SubmitBudget(&context, request, response);
    });
  };
  grpc::Status status = send();
  if (!status.ok() || !response->replayed() || !options.make_latest ||
      options.validate_only) {
    return status;
  }
  budget::v1::GetSubmissionRequest latest_request;
  latest_request.set_unit_code(budget.unit_code());
  latest_request.set_fiscal_year(budget.fiscal_year());
  budget::v1::Submission latest;
  status = services.Call([&](grpc::ClientContext& context) {
    return services.ingest().GetSubmission(&context, latest_request, &latest);
  });
  if (!status.ok() || latest.revision() == response->revision()) return status;
  // The id also tells a resend of ours, whatever a reader not cleared for
  // classified projects is shown of the latest budget.
  request.set_request_id(ResendId(
      id, latest.request_id(),
      latest.stage() == options.stage &&
          latest.budget().SerializeAsString() == budget.SerializeAsString(),
      latest.revision()));
  response->Clear();
  return send();
}

grpc::Status FetchFullReport(Services& services,
                             const budget::v1::UnitBudget& budget, bool strict,
                             budget::v1::ValidationReport* report) {
  constexpr int kPageSize = 1'000;  // The most the service gives.
  report->Clear();
  budget::v1::ValidateBudgetRequest request;
  *request.mutable_budget() = budget;
  request.set_strict(strict);
  request.set_page_size(kPageSize);
  do {
    budget::v1::ValidateBudgetResponse page;
    grpc::Status status = services.Call([&](grpc::ClientContext& context) {
      return services.ingest().ValidateBudget(&context, request, &page);
    });
    if (!status.ok()) return status;
    for (budget::v1::Violation& violation : *page.mutable_violations()) {
      *report->add_violations() = std::move(violation);
    }
    *report->mutable_omitted() = page.omitted();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

}  // namespace budgetctl
