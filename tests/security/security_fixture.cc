#include "tests/security/security_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "auth/token_hash.h"
#include "grpcpp/grpcpp.h"
#include "tests/testing/reference_fixture.h"
#include "tests/testing/test_store.h"

namespace security_test {
namespace {

namespace fs = std::filesystem;

// Cheap hashes: the tests make hundreds of calls.
std::string HashOf(const std::string& name) {
  return auth::HashTokenWithSalt("token-" + name, "salt-" + name, 1000);
}

std::string TokenLine(const std::string& name, const std::string& roles) {
  return absl::StrCat(name, " token=", HashOf(name), " ", roles, "\n");
}

}  // namespace

std::string SecurityFixture::TokenOf(const std::string& name) {
  return auth::MintToken(HashOf(name), "token-" + name);
}

std::unique_ptr<grpc::ClientContext> SecurityFixture::As(
    const std::string& name) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!name.empty()) {
    context->AddMetadata("authorization", "Bearer " + TokenOf(name));
  }
  return context;
}

void SecurityFixture::SetUp() {
  char dir[] = "/tmp/security_e2e_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  dir_ = dir;
  std::ofstream(dir_ + "/principals.txt")
      << TokenLine("admin", "submitter@* reviewer@*")
      << TokenLine("submitter", "submitter@021001")
      << TokenLine("reviewer", "reviewer@021001")
      << TokenLine("auditor", "auditor") << TokenLine("public", "public");
  std::vector<std::string> args = {
      "--store=" + e2e_testing::StoreSpec(store_path()), "--insecure",
      "--principals=" + dir_ + "/principals.txt", "--allow_anonymous_reads",
      "--shutdown_grace=1s"};
  ingest_ = std::make_unique<e2e_testing::ServiceProcess>(INGEST_SERVICE_BINARY,
                                                          args);
  std::vector<std::string> query_args = args;
  for (std::string& flag : ExtraQueryFlags()) {
    query_args.push_back(std::move(flag));
  }
  query_ = std::make_unique<e2e_testing::ServiceProcess>(QUERY_SERVICE_BINARY,
                                                         query_args);
  ingest_stub_ = budget::v1::IngestService::NewStub(ingest_->Channel());
  query_stub_ = budget::v1::QueryService::NewStub(query_->Channel());
  audit_stub_ = budget::v1::AuditService::NewStub(ingest_->Channel());
  LoadReferenceDepartment();
}

void SecurityFixture::TearDown() {
  query_.reset();
  ingest_.reset();
  std::system(("rm -rf " + dir_).c_str());
}

void SecurityFixture::LoadReferenceDepartment() {
  for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status =
        ingest_stub_->RegisterUnit(As("admin").get(), request, &response);
    ASSERT_TRUE(status.ok()) << unit.code() << ": " << status.error_message();
  }
  int64_t revision = 0;
  for (int year : {2023, 2024}) {
    for (const e2e_testing::ReferenceBudget& file :
         e2e_testing::ReferenceBudgets(year)) {
      budget::v1::SubmitBudgetRequest request;
      request.set_request_id(file.path);
      *request.mutable_budget() = file.budget;
      budget::v1::SubmitBudgetResponse response;
      grpc::Status status =
          ingest_stub_->SubmitBudget(As("admin").get(), request, &response);
      ASSERT_TRUE(status.ok()) << file.path << ": " << status.error_message();
      revision = response.consolidated_revision();
      if (year != 2024) continue;
      budget::v1::ReviewSubmissionRequest review;
      review.set_unit_code(file.budget.unit_code());
      review.set_fiscal_year(year);
      review.set_revision(response.revision());
      review.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
      budget::v1::Review reviewed;
      status =
          ingest_stub_->ReviewSubmission(As("admin").get(), review, &reviewed);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }
  budget::v1::LockYearRequest lock;
  lock.set_node_code("021");
  lock.set_fiscal_year(2024);
  budget::v1::LockYearResponse locked;
  grpc::Status status =
      ingest_stub_->LockYear(As("admin").get(), lock, &locked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The query service has applied everything, the lock included, once a
  // read at the last revision that only the lock opens to the public works.
  for (int attempt = 0; attempt < 200; ++attempt) {
    budget::v1::GetSummaryRequest summary;
    summary.set_node_code("021");
    summary.set_fiscal_year(2024);
    summary.mutable_read()->set_min_revision(revision);
    budget::v1::Summary answer;
    if (query_stub_->GetSummary(As("").get(), summary, &answer).ok()) {
      loaded_revision_ = revision;
      return;
    }
    usleep(20000);
  }
  FAIL() << "the query service never published 021 2024";
}

}  // namespace security_test
