// A test fixture running ingest_service and query_service (plaintext on
// loopback) with a principals file of one principal per role, loaded with
// the reference department (fixtures/zhengzhou-iit, 2023 and 2024), its
// 2024 budgets approved and locked for 021 so that public readers see them.
//
// Principals (token TokenOf(NAME), secret "token-NAME"): admin (submitter@*
// reviewer@*), submitter (submitter@021001), reviewer (reviewer@021001),
// auditor, public. Anonymous reads are allowed.
//
// Not thread-safe except for the stubs.
#ifndef TESTS_SECURITY_SECURITY_FIXTURE_H_
#define TESTS_SECURITY_SECURITY_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "budget/v1/audit_service.grpc.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/service_process.h"

namespace security_test {

class SecurityFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // NAME's bearer token.
  static std::string TokenOf(const std::string& name);
  // A context carrying NAME's bearer token; "" for an anonymous one.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& name);

  std::string store_path() const { return dir_ + "/budget.db"; }

  // Flags the query service gets besides the fixture's.
  virtual std::vector<std::string> ExtraQueryFlags() const { return {}; }
  // Flags the ingest service gets besides the fixture's.
  virtual std::vector<std::string> ExtraIngestFlags() const { return {}; }

  // The consolidated revision the fixture's submissions reached.
  int64_t loaded_revision() const { return loaded_revision_; }

  std::unique_ptr<e2e_testing::ServiceProcess> ingest_;
  std::unique_ptr<e2e_testing::ServiceProcess> query_;
  std::unique_ptr<budget::v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<budget::v1::QueryService::Stub> query_stub_;
  std::unique_ptr<budget::v1::AuditService::Stub> audit_stub_;

 private:
  void LoadReferenceDepartment();

  std::string dir_;
  int64_t loaded_revision_ = 0;
};

}  // namespace security_test

#endif  // TESTS_SECURITY_SECURITY_FIXTURE_H_
