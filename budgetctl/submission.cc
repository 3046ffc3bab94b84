#include "budgetctl/submission.h"

#include "budgetctl/request_id.h"

namespace budgetctl {

grpc::Status SubmitBudget(Services& services,
                          const budget::v1::UnitBudget& budget,
                          const SubmitOptions& options,
                          budget::v1::SubmitBudgetResponse* response) {
  budget::v1::SubmitBudgetRequest request;
  std::string id = SubmitRequestId(budget);
  // A dry run must not claim the id the real submission will use.
  request.set_request_id(options.validate_only ? id + "-dry-run" : id);
  *request.mutable_budget() = budget;
  request.set_validate_only(options.validate_only);
  request.set_strict(options.strict);
  request.set_submitted_by(options.submitted_by);
  return services.Call([&](grpc::ClientContext& context) {
    return services.ingest().SubmitBudget(&context, request, response);
  });
}

}  // namespace budgetctl
