#include "budgetctl/json_output.h"

#include "budget/v1/tables.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budgetctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A field without presence is printed at zero, so a consumer indexing it
// finds it; a oneof left unset (a blank cell) stays out.
TEST(MessageJsonTest, PrintsZerosAndLeavesUnsetOneofsOut) {
  budget::v1::TableCell blank;
  EXPECT_THAT(MessageJson(blank, false), HasSubstr("\"columnSpan\":0"));
  EXPECT_THAT(MessageJson(blank, false), Not(HasSubstr("amountFen")));
  budget::v1::TableCell zero;
  zero.set_amount_fen(0);
  EXPECT_THAT(MessageJson(zero, false), HasSubstr("\"amountFen\":\"0\""));
  budget::v1::TableRow row;
  EXPECT_THAT(MessageJson(row, false),
              HasSubstr("\"kind\":\"ROW_KIND_DETAIL\""));
  EXPECT_THAT(MessageJson(row, false), HasSubstr("\"cells\":[]"));
}

}  // namespace
}  // namespace budgetctl
