#include "tests/cycle/reference_adjustments.h"

#include "gtest/gtest.h"
#include "tests/testing/reference_fixture.h"

namespace e2e_testing {

int64_t PostReferenceAdjustments(
    budget::v1::IngestService::Stub& stub,
    absl::FunctionRef<std::unique_ptr<grpc::ClientContext>()> context) {
  int64_t revision = -1;
  for (const char* file : {"cycle/adjustments/1-increase-021017.json",
                           "cycle/adjustments/2-transfer-021001.json"}) {
    budget::v1::AdjustBudgetRequest request;
    request.set_request_id(file);
    *request.mutable_adjustment() = ReferenceJson<budget::v1::Adjustment>(file);
    budget::v1::AdjustBudgetResponse response;
    grpc::Status status =
        stub.AdjustBudget(context().get(), request, &response);
    if (!status.ok()) {
      ADD_FAILURE() << file << ": " << status.error_message();
      return -1;
    }
    revision = response.consolidated_revision();
  }
  return revision;
}

}  // namespace e2e_testing
