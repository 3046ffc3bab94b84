// SoleBudgetBytes (ingest_service/budget_bytes.h): the budget's bytes as
// sent, only when the request holds the field exactly once.
#include "ingest_service/budget_bytes.h"

#include <optional>
#include <string>

#include "budget/v1/ingest_service.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"

namespace ingest_test {
namespace {

using budget::v1::SubmitBudgetRequest;

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

SubmitBudgetRequest Request() {
  SubmitBudgetRequest request;
  request.set_request_id("r1");
  *request.mutable_budget() =
      SalaryBudget(UnitBelowDepartment("021001", "单位"), 1'000);
  request.set_strict(true);
  return request;
}

TEST(SoleBudgetBytesTest, ReturnsTheBudgetFieldAsSent) {
  const SubmitBudgetRequest request = Request();
  const budget::v1::UnitBudget& sent = request.budget();
  const std::string budget = ReversedFieldOrder(sent);
  // The request: its other fields, then field 2 (length-delimited).
  SubmitBudgetRequest rest = request;
  rest.clear_budget();
  std::string bytes = rest.SerializeAsString();
  bytes += '\x12';
  for (size_t n = budget.size();; n >>= 7) {
    if (n < 0x80) {
      bytes += static_cast<char>(n);
      break;
    }
    bytes += static_cast<char>((n & 0x7f) | 0x80);
  }
  bytes += budget;
  SubmitBudgetRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  ASSERT_EQ(parsed.budget().SerializeAsString(), sent.SerializeAsString());
  ASSERT_NE(budget, sent.SerializeAsString());

  std::optional<std::string> found = ingest::SoleBudgetBytes(Buffer(bytes));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, budget);
}

TEST(SoleBudgetBytesTest, NoneForAMissingOrRepeatedBudget) {
  SubmitBudgetRequest request = Request();
  SubmitBudgetRequest no_budget = request;
  no_budget.clear_budget();
  EXPECT_FALSE(ingest::SoleBudgetBytes(Buffer(no_budget.SerializeAsString()))
                   .has_value());
  // Two budget fields: the parser merges them, so neither is the budget.
  SubmitBudgetRequest budget_only;
  *budget_only.mutable_budget() = request.budget();
  const std::string twice =
      request.SerializeAsString() + budget_only.SerializeAsString();
  EXPECT_FALSE(ingest::SoleBudgetBytes(Buffer(twice)).has_value());
}

}  // namespace
}  // namespace ingest_test
