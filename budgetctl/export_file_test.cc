#include "budgetctl/export_file.h"

#include <sstream>

#include "gtest/gtest.h"

namespace budgetctl {
namespace {

TEST(ExportFileTest, RecordsComeBackInOrderThenEndOfFile) {
  std::stringstream file;
  budget::v1::ExportRecord unit;
  unit.mutable_unit()->set_code("021");
  budget::v1::ExportRecord budget;
  budget.mutable_budget()->set_unit_code("021017");
  budget.mutable_budget()->add_income()->set_amount_fen(837100000);
  budget::v1::ExportRecord trailer;
  trailer.mutable_trailer()->set_budget_count(1);
  for (const auto* record : {&unit, &budget, &trailer}) {
    ASSERT_TRUE(WriteExportRecord(*record, file).ok());
  }

  ExportReader reader(&file);
  for (const auto* expected : {&unit, &budget, &trailer}) {
    absl::StatusOr<budget::v1::ExportRecord> read = reader.Next();
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->SerializeAsString(), expected->SerializeAsString());
  }
  EXPECT_TRUE(absl::IsOutOfRange(reader.Next().status()));
  EXPECT_EQ(reader.position(), static_cast<int64_t>(file.str().size()));
}

TEST(ExportFileTest, ACutFileIsDataLoss) {
  std::stringstream whole;
  budget::v1::ExportRecord budget;
  budget.mutable_budget()->set_unit_code("021017");
  ASSERT_TRUE(WriteExportRecord(budget, whole).ok());
  std::string bytes = whole.str();
  std::stringstream cut(bytes.substr(0, bytes.size() - 2));
  ExportReader reader(&cut);
  EXPECT_TRUE(absl::IsDataLoss(reader.Next().status()));
}

}  // namespace
}  // namespace budgetctl
