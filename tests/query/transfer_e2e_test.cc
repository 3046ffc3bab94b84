// End to end: a department whose units pass money between them goes in
// through ingest_service and its tables come out of query_service with every
// transfer counted once. The 机关 subsidises its institution
// (对附属单位补助支出 / 上级补助收入); the institution, which also has 事业收入
// and 事业单位经营收入, remits part back (上缴上级支出 / 附属单位上缴收入).
#include <map>
#include <string>
#include <vector>

#include "budget/budget_file/budget_file.h"
#include "budget/tables/table_grid.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/query/two_services.h"

namespace query_test {
namespace {

constexpr char kOffice[] = R"([budget]
unit_code,931001
fiscal_year,2024

[income]
source,amount_yuan,counterpart_unit
GENERAL_PUBLIC_BUDGET,3000000.00,
OTHER_INCOME,300000.00,
REMITTANCE_FROM_SUBORDINATE,200000.00,931002

[expenditure]
function_code,dept_economic_code,gov_economic_code,source,nature,amount_yuan,transfer_kind,counterpart_unit
2150501,30101,50101,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,3000000.00,,
2150501,30201,50201,REMITTANCE_FROM_SUBORDINATE,BASIC_PUBLIC,200000.00,,
2150501,30299,50299,OTHER_INCOME,BASIC_PUBLIC,300000.00,SUBSIDY_TO_SUBORDINATE,931002
)";

constexpr char kCentre[] = R"([budget]
unit_code,931002
fiscal_year,2024

[income]
source,amount_yuan,counterpart_unit
SUBSIDY_FROM_SUPERIOR,300000.00,931001
BUSINESS_INCOME,500000.00,
OPERATING_INCOME,100000.00,

[expenditure]
function_code,dept_economic_code,gov_economic_code,source,nature,amount_yuan,transfer_kind,counterpart_unit
2150550,30101,50501,SUBSIDY_FROM_SUPERIOR,BASIC_PERSONNEL,300000.00,,
2150550,30201,50502,BUSINESS_INCOME,BASIC_PUBLIC,300000.00,,
2150550,30201,50502,OPERATING_INCOME,BASIC_PUBLIC,100000.00,,
2150550,30299,50502,BUSINESS_INCOME,BASIC_PUBLIC,200000.00,REMITTANCE_TO_SUPERIOR,931001
)";

budget::v1::Unit Unit(const std::string& code, const std::string& name,
                      const std::string& parent, budget::v1::UnitKind kind) {
  budget::v1::Unit unit;
  unit.set_code(code);
  unit.set_name(name);
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  return unit;
}

// The parameter is where the institution is registered: beside the 机关 under
// the department (as fixtures/zhengzhou-iit registers its units) or below
// the 机关 that subsidises it. The tables are the same either way.
class TransferE2eTest : public TwoServices,
                        public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    TwoServices::SetUp();
    Register(Unit("931", "测试局", "", budget::v1::UNIT_KIND_GROUP));
    Register(Unit("931001", "测试局机关", "931",
                  budget::v1::UNIT_KIND_ADMINISTRATIVE));
    Register(Unit("931002", "测试局事业中心", GetParam(),
                  budget::v1::UNIT_KIND_INSTITUTION));
    for (const char* text : {kOffice, kCentre}) {
      auto parsed = budget::ParseBudgetFile(text, "test.budget");
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      revision_ = Submit(parsed.value.budget);
    }
  }

  // Table `id` of the department, each body row as printed.
  std::vector<std::vector<std::string>> Table(const std::string& id) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code("931");
    request.set_fiscal_year(2024);
    request.set_table_id(id);
    request.mutable_read()->set_min_revision(revision_);
    budget::v1::DisclosureTable table;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Status status =
        query_stub_->GetDisclosureTable(&context, request, &table);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::vector<std::string>> rows;
    for (const budget::v1::TableRow& row : table.body_rows()) {
      rows.emplace_back();
      for (const budget::v1::TableCell& cell : row.cells()) {
        rows.back().push_back(budget::PrintedCell(cell));
      }
    }
    return rows;
  }

  int64_t revision_ = 0;
};

// 300.0 appropriation + 30.0 其他收入 + 50.0 事业收入 + 10.0 经营收入: the
// 30.0 subsidy and the 20.0 remittance are neither the department's income
// nor its spending.
TEST_P(TransferE2eTest, DepartmentCountsEveryTransferOnce) {
  const auto rows = Table("01");
  ASSERT_EQ(rows.size(), 33u);
  EXPECT_EQ(rows[0][1], "300.0");   // 一、一般公共预算.
  EXPECT_EQ(rows[5][1], "50.0");    // 五、事业收入.
  EXPECT_EQ(rows[6][1], "10.0");    // 六、事业单位经营收入.
  EXPECT_EQ(rows[7][1], "");        // 七、上级补助收入.
  EXPECT_EQ(rows[8][1], "");        // 八、附属单位上缴收入.
  EXPECT_EQ(rows[9][1], "30.0");    // 九、其他收入.
  EXPECT_EQ(rows[14][3], "390.0");  // 十五、资源勘探信息等.
  EXPECT_EQ(rows[32][1], "390.0");  // 收入总计.
  EXPECT_EQ(rows[32][3], "390.0");  // 支出总计.
}

// Unit rows show each unit's own side of the transfers, so they add up to
// the department's 390.0 plus the 50.0 that passed inside it.
TEST_P(TransferE2eTest, UnitRowsShowTheirOwnSideOfTheTransfers) {
  const auto rows = Table("02");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][2], "390.0");  // 合计.
  EXPECT_EQ(rows[1][2], "390.0");  // 931.
  EXPECT_EQ(rows[2][0], "931001");
  EXPECT_EQ(rows[2][2], "350.0");
  EXPECT_EQ(rows[2][12], "20.0");  // 附属单位上缴收入.
  EXPECT_EQ(rows[3][0], "931002");
  EXPECT_EQ(rows[3][2], "90.0");
  EXPECT_EQ(rows[3][9], "50.0");   // 事业收入.
  EXPECT_EQ(rows[3][10], "10.0");  // 事业单位经营收入.
  EXPECT_EQ(rows[3][11], "30.0");  // 上级补助收入.
}

// Spending paid for by a transfer inside the department is shown under the
// source the payer paid it from, so that table 07 splits the 390.0 as table
// 01 states the income: the centre's 30.0 of 上级补助收入 is the office's
// 其他收入, the office's 20.0 of 附属单位上缴收入 the centre's 事业收入.
TEST_P(TransferE2eTest, SpendingOfTransfersTakesThePayersSources) {
  const auto rows = Table("07");
  ASSERT_FALSE(rows.empty());
  const std::vector<std::string>& total = rows[0];
  ASSERT_EQ(total.size(), 19u);
  EXPECT_EQ(total[6], "390.0");  // 总计.
  EXPECT_EQ(total[7], "300.0");  // 一般公共预算.
  EXPECT_EQ(total[13], "50.0");  // 事业收入.
  EXPECT_EQ(total[14], "");      // 上级补助收入.
  EXPECT_EQ(total[15], "");      // 附属单位上缴收入.
  EXPECT_EQ(total[16], "10.0");  // 事业单位经营收入.
  EXPECT_EQ(total[18], "30.0");  // 其他收入.
}

// Aggregates read the spending as table 07 does, whether placed by unit or
// not: no 上级补助收入 or 附属单位上缴收入 inside the department.
TEST_P(TransferE2eTest, AggregatesBySourceAgreeWithTable07) {
  const std::map<std::string, int64_t> expected = {
      {"GENERAL_PUBLIC_BUDGET", 300'000'000},
      {"BUSINESS_INCOME", 50'000'000},
      {"OPERATING_INCOME", 10'000'000},
      {"OTHER_INCOME", 30'000'000}};
  for (bool by_unit : {false, true}) {
    budget::v1::AggregateRequest request;
    request.set_node_code("931");
    request.set_fiscal_year(2024);
    if (by_unit) request.add_drilldown(budget::v1::DIMENSION_UNIT);
    request.add_drilldown(budget::v1::DIMENSION_FUNDING_SOURCE);
    request.mutable_read()->set_min_revision(revision_);
    budget::v1::AggregateResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Status status = query_stub_->Aggregate(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, int64_t> by_source;
    for (const budget::v1::AggregateRow& row : response.rows()) {
      if (row.subtotal() || row.members().empty()) continue;
      by_source[row.members(row.members_size() - 1).value()] +=
          row.amount_fen();
    }
    EXPECT_EQ(by_source, expected) << (by_unit ? "by unit" : "by source");
    EXPECT_EQ(response.grand_total().amount_fen(), 390'000'000);
  }
}

INSTANTIATE_TEST_SUITE_P(Registries, TransferE2eTest,
                         ::testing::Values("931", "931001"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param == std::string("931")
                                                  ? "BesideTheOffice"
                                                  : "BelowTheOffice");
                         });

}  // namespace
}  // namespace query_test
