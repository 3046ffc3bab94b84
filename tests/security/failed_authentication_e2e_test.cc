// Wrong bearer tokens through the real query service: refused
// UNAUTHENTICATED without a key derivation for an unknown token ID (counted
// in auth/principals_file_test.cc), and past the per-address failure limit
// refused RESOURCE_EXHAUSTED before any check, while a caller whose token
// was verified before is still served.
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

constexpr int kBurst = 5;

class FailedAuthenticationE2eTest : public SecurityFixture {
 protected:
  std::vector<std::string> ExtraQueryFlags() const override {
    return {"--auth_failure_burst=" + std::to_string(kBurst),
            "--auth_failure_refill=1h"};
  }

  grpc::StatusCode Summary(const std::string& bearer) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + bearer);
    budget::v1::GetSummaryRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    budget::v1::Summary response;
    return query_stub_->GetSummary(&context, request, &response).error_code();
  }
};

TEST_F(FailedAuthenticationE2eTest, FailuresPastTheBurstAreRefusedUnchecked) {
  ASSERT_EQ(Summary(TokenOf("auditor")), grpc::StatusCode::OK);
  // Wrong secret with a known ID, unknown ID, no ID at all.
  const std::string wrong[] = {TokenOf("auditor") + "x", "00ff.guess", "no-id"};
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(Summary(wrong[i % 3]), grpc::StatusCode::UNAUTHENTICATED) << i;
  }
  EXPECT_EQ(Summary(wrong[0]), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Summary(wrong[1]), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Verified before the flood: recognized without a check.
  EXPECT_EQ(Summary(TokenOf("auditor")), grpc::StatusCode::OK);
  // Never verified: it would need a derivation, which the address has
  // used up for now.
  EXPECT_EQ(Summary(TokenOf("public")), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace security_test
