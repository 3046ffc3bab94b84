#include "tests/query/two_services.h"

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"

namespace query_test {

void TwoServices::SetUp() {
  char dir[] = "/tmp/query_e2e_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  dir_ = dir;
  const std::vector<std::string> args =
      e2e_testing::StoreArgs(dir_ + "/budget.db");
  ingest_ = std::make_unique<ServiceProcess>(INGEST_SERVICE_BINARY, args);
  query_ = std::make_unique<ServiceProcess>(QUERY_SERVICE_BINARY, args);
  ingest_stub_ = budget::v1::IngestService::NewStub(ingest_->Channel());
  query_stub_ = budget::v1::QueryService::NewStub(query_->Channel());
}

void TwoServices::TearDown() {
  query_.reset();
  ingest_.reset();
  std::system(("rm -rf " + dir_).c_str());
}

void TwoServices::Register(const budget::v1::Unit& unit) {
  grpc::ClientContext context;
  budget::v1::RegisterUnitRequest request;
  *request.mutable_unit() = unit;
  budget::v1::RegisterUnitResponse response;
  grpc::Status status =
      ingest_stub_->RegisterUnit(&context, request, &response);
  ASSERT_TRUE(status.ok()) << unit.code() << ": " << status.error_message();
}

int64_t TwoServices::Submit(const budget::v1::UnitBudget& budget) {
  grpc::ClientContext context;
  budget::v1::SubmitBudgetRequest request;
  request.set_request_id(absl::StrCat(budget.unit_code(), "-", ++requests_));
  *request.mutable_budget() = budget;
  budget::v1::SubmitBudgetResponse response;
  grpc::Status status =
      ingest_stub_->SubmitBudget(&context, request, &response);
  EXPECT_TRUE(status.ok()) << budget.unit_code() << " " << budget.fiscal_year()
                           << ": " << status.error_message();
  return response.consolidated_revision();
}

}  // namespace query_test
