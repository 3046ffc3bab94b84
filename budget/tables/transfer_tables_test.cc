// A department whose units pass money between them: the 机关 subsidises its
// institution (对附属单位补助支出 / 上级补助收入), which also has 事业收入 and
// 事业单位经营收入 and remits part of them back (上缴上级支出 /
// 附属单位上缴收入). The department's rows count every yuan once; each unit's
// row shows its own side of the transfers, as published 收入总体情况表 do.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "budget/consolidation/consolidator.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/summary.h"
#include "budget/tables/table_grid.h"
#include "budget/tables/table_test_budgets.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;

constexpr auto kPersonnel = v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;

// A request for department 031's figures in 2024.
TableRequest RequestFor031(const Consolidator& consolidator) {
  TableRequest request;
  request.consolidation = &consolidator;
  request.catalog = &Catalog::Default();
  request.node_code = "031";
  request.fiscal_year = 2024;
  return request;
}
constexpr auto kPublic = v1::EXPENDITURE_NATURE_BASIC_PUBLIC;

// The 机关's 30.0 subsidy to the institution and the institution's 20.0
// remittance back, the two units registered under `centre_parent`.
struct Department {
  explicit Department(const std::string& centre_parent) {
    auto built = UnitTree::Build(
        {MakeUnit("031", "", v1::UNIT_KIND_GROUP),
         MakeUnit("031001", "031", v1::UNIT_KIND_ADMINISTRATIVE),
         MakeUnit("031002", centre_parent)});
    EXPECT_TRUE(built.ok()) << built.status();
    tree = std::make_unique<UnitTree>(*std::move(built));
    consolidator = std::make_unique<Consolidator>(tree.get());

    // 机关: 300.0 appropriation, 30.0 其他收入 and 20.0 remitted by the
    // institution; spends 320.0 itself and subsidises the institution with
    // 30.0 of its 其他收入 (never 财政拨款: BGT-E063).
    auto office = std::make_shared<v1::UnitBudget>(MakeBudget("031001"));
    Line(office.get(), "2150501", "30101", "50101", kPersonnel, 3000,
         v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    Line(office.get(), "2150501", "30201", "50201", kPublic, 200,
         v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE);
    v1::ExpenditureLine* subsidy =
        Line(office.get(), "2150501", "30299", "50299", kPublic, 300,
             v1::FUNDING_SOURCE_OTHER_INCOME);
    subsidy->set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
    subsidy->set_counterpart_unit("031002");
    Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 3000);
    Income(office.get(), v1::FUNDING_SOURCE_OTHER_INCOME, 300);
    Income(office.get(), v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE, 200,
           "031002");

    // Institution: 30.0 subsidy, 50.0 事业收入, 10.0 经营收入; remits 20.0.
    auto centre = std::make_shared<v1::UnitBudget>(MakeBudget("031002"));
    Line(centre.get(), "2150550", "30101", "50501", kPersonnel, 300,
         v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    Line(centre.get(), "2150550", "30201", "50502", kPublic, 300,
         v1::FUNDING_SOURCE_BUSINESS_INCOME);
    Line(centre.get(), "2150550", "30201", "50502", kPublic, 100,
         v1::FUNDING_SOURCE_OPERATING_INCOME);
    v1::ExpenditureLine* remittance =
        Line(centre.get(), "2150550", "30299", "50502", kPublic, 200,
             v1::FUNDING_SOURCE_BUSINESS_INCOME);
    remittance->set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
    remittance->set_counterpart_unit("031001");
    Income(centre.get(), v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 300,
           "031001");
    Income(centre.get(), v1::FUNDING_SOURCE_BUSINESS_INCOME, 500);
    Income(centre.get(), v1::FUNDING_SOURCE_OPERATING_INCOME, 100);

    EXPECT_TRUE(consolidator->ReplaceUnitBudget(office).ok());
    EXPECT_TRUE(consolidator->ReplaceUnitBudget(centre).ok());
  }

  // Table `id` of the department, each body row as printed.
  std::vector<std::vector<std::string>> Table(const std::string& id) const {
    const TableRequest request = RequestFor031(*consolidator);
    auto table = BuildDisclosureTable(id, request);
    EXPECT_TRUE(table.ok()) << table.status();
    std::vector<std::vector<std::string>> rows;
    if (!table.ok()) return rows;
    for (const v1::TableRow& row : table->body_rows()) {
      rows.emplace_back();
      for (const v1::TableCell& cell : row.cells()) {
        rows.back().push_back(PrintedCell(cell));
      }
    }
    return rows;
  }

  // The notes under table `id` of the department.
  std::vector<std::string> Notes(const std::string& id) const {
    auto table = BuildDisclosureTable(id, RequestFor031(*consolidator));
    EXPECT_TRUE(table.ok()) << table.status();
    if (!table.ok()) return {};
    return {table->notes().begin(), table->notes().end()};
  }

  v1::Summary Summary() const {
    const TableRequest request = RequestFor031(*consolidator);
    auto summary = BuildSummary(request, /*compare_year=*/0);
    EXPECT_TRUE(summary.ok()) << summary.status();
    return summary.ok() ? *summary : v1::Summary();
  }

  std::unique_ptr<UnitTree> tree;
  std::unique_ptr<Consolidator> consolidator;
};

// 300.0 appropriation + 30.0 其他收入 + 50.0 事业收入 + 10.0 经营收入 =
// 390.0: neither transfer counts in the department's income or spending.
TEST(TransferTablesTest, Table01CountsTheDepartmentsMoneyOnce) {
  const auto rows = Department("031").Table("01");
  ASSERT_EQ(rows.size(), 30u + 3u);
  EXPECT_THAT(rows[0],
              ElementsAre("一、一般公共预算", "300.0", "一、一般公共服务", ""));
  EXPECT_EQ(rows[9][1], "30.0");  // 九、其他收入.
  EXPECT_THAT(rows[14], ElementsAre("", "", "十五、资源勘探信息等", "390.0"));
  EXPECT_EQ(rows[5][1], "50.0");  // 五、事业收入.
  EXPECT_EQ(rows[6][1], "10.0");  // 六、事业单位经营收入.
  EXPECT_EQ(rows[7][1], "");      // 七、上级补助收入.
  EXPECT_EQ(rows[8][1], "");      // 八、附属单位上缴收入.
  EXPECT_THAT(rows.back(),
              ElementsAre("收入总计", "390.0", "支出总计", "390.0"));
}

// Columns: code, name, 总计, 本年收入 合计, 一般公共预算 小计, 其中财政拨款,
// 政府性基金, 国资, 专户, 事业收入 (9), 经营收入 (10), 上级补助 (11),
// 附属单位上缴 (12), 其他收入, then 上年结转结余.
TEST(TransferTablesTest, Table02UnitRowsShowTheirSideOfEachTransfer) {
  const auto rows = Department("031").Table("02");
  ASSERT_EQ(rows.size(), 4u);
  const auto& total = rows[0];
  EXPECT_EQ(total[1], "合计");
  EXPECT_EQ(total[2], "390.0");
  EXPECT_EQ(total[9], "50.0");
  EXPECT_EQ(total[10], "10.0");
  EXPECT_EQ(total[11], "");
  EXPECT_EQ(total[12], "");
  EXPECT_EQ(rows[1][0], "031");
  EXPECT_EQ(std::vector<std::string>(rows[1].begin() + 2, rows[1].end()),
            std::vector<std::string>(total.begin() + 2, total.end()));
  EXPECT_EQ(rows[2][0], "031001");
  EXPECT_EQ(rows[2][2], "350.0");
  EXPECT_EQ(rows[2][12], "20.0");
  EXPECT_EQ(rows[3][0], "031002");
  EXPECT_EQ(rows[3][2], "90.0");
  EXPECT_EQ(rows[3][9], "50.0");
  EXPECT_EQ(rows[3][10], "10.0");
  EXPECT_EQ(rows[3][11], "30.0");
  // 350.0 + 90.0 against 390.0: a note says why.
  EXPECT_THAT(Department("031").Notes("02"),
              ElementsAre(::testing::HasSubstr("合计已将其抵消")));
}

// Without money passed between units the rows add up, and no note.
TEST(TransferTablesTest, Table02HasNoNoteWhenRowsAddUp) {
  Department department("031");
  auto office = std::make_shared<v1::UnitBudget>(MakeBudget("031001"));
  Line(office.get(), "2150501", "30101", "50101", kPersonnel, 3000,
       v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 3000);
  ASSERT_TRUE(department.consolidator->ReplaceUnitBudget(office).ok());
  ASSERT_TRUE(department.consolidator->RemoveUnitBudget("031002", 2024).ok());
  EXPECT_THAT(department.Notes("02"), ::testing::IsEmpty());
}

// Registered below the 机关 instead (an institution 直属 to it), the 机关's
// row still shows its own 本级 income (300.0 + 30.0 + 20.0), not the two units
// folded together, and the department's figures do not change.
TEST(TransferTablesTest, Table02ShowsANestedUnitsOwnIncome) {
  const auto rows = Department("031001").Table("02");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][2], "390.0");
  EXPECT_EQ(rows[1][2], "390.0");
  EXPECT_EQ(rows[2][0], "031001");
  EXPECT_EQ(rows[2][2], "350.0");
  EXPECT_EQ(rows[2][12], "20.0");
  EXPECT_EQ(rows[3][0], "031002");
  EXPECT_EQ(rows[3][2], "90.0");
  EXPECT_EQ(rows[3][11], "30.0");
}

// The 财政拨款 the 机关 receives is the 财政拨款 it spends: the subsidy,
// paid with its own money, leaves no 年终结转结余 behind.
TEST(TransferTablesTest, Table04BalancesTheAppropriation) {
  const auto rows = Department("031").Table("04");
  ASSERT_FALSE(rows.empty());
  bool balance_row = false;
  for (const auto& row : rows) {
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (row[i].find("年终结转结余") == std::string::npos) continue;
      balance_row = true;
      EXPECT_EQ(row[i + 1], "") << row[i];
    }
  }
  EXPECT_TRUE(balance_row);
  EXPECT_EQ(rows.back()[1], "300.0");  // 收入总计.
  EXPECT_EQ(rows.back()[3], "300.0");  // 支出总计.
}

// Spending by function: the 机关's 30.0 subsidy and the institution's 20.0
// remittance are not the department's spending; what the money bought is.
TEST(TransferTablesTest, Table03LeavesTransfersOut) {
  const auto rows = Department("031").Table("03");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0][4], "合计");
  EXPECT_EQ(rows[0][5], "390.0");
}

// A subsidy from a payer outside the department (registered under the same
// city, not under the department) is the department's income: it stays in
// the department's 上级补助收入, as published totals count it.
TEST(TransferTablesTest, SubsidyFromOutsideTheDepartmentStaysInItsTotals) {
  auto tree = UnitTree::Build(
      {MakeUnit("9", "", v1::UNIT_KIND_GROUP), MakeUnit("9001", "9"),
       MakeUnit("031", "9", v1::UNIT_KIND_GROUP), MakeUnit("031002", "031")});
  ASSERT_TRUE(tree.ok()) << tree.status();
  Consolidator consolidator(&*tree);
  auto centre = std::make_shared<v1::UnitBudget>(MakeBudget("031002"));
  Line(centre.get(), "2150550", "30101", "50501", kPersonnel, 300,
       v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  Income(centre.get(), v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 300, "9001");
  ASSERT_TRUE(consolidator.ReplaceUnitBudget(centre).ok());
  const TableRequest request = RequestFor031(consolidator);
  auto table = BuildDisclosureTable("01", request);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(PrintedCell(table->body_rows(7).cells(0)), "七、上级补助收入");
  EXPECT_EQ(PrintedCell(table->body_rows(7).cells(1)), "30.0");
}

// The 机关's project that only subsidises the institution is the 机关's
// spending in its own table 11 and nobody's at the department, which lists
// no blank row for it.
TEST(TransferTablesTest, Table11LeavesOutAProjectEliminatedAtTheNode) {
  auto tree =
      UnitTree::Build({MakeUnit("031", "", v1::UNIT_KIND_GROUP),
                       MakeUnit("031001", "031", v1::UNIT_KIND_ADMINISTRATIVE),
                       MakeUnit("031002", "031")});
  ASSERT_TRUE(tree.ok()) << tree.status();
  Consolidator consolidator(&*tree);
  const std::string project = "410100240000000051611";
  auto office = std::make_shared<v1::UnitBudget>(MakeBudget("031001"));
  v1::ExpenditureLine* subsidy = Line(
      office.get(), "2150501", "30299", "50299", v1::EXPENDITURE_NATURE_PROJECT,
      300, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, project);
  subsidy->set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  subsidy->set_counterpart_unit("031002");
  v1::Project* declared = office->add_projects();
  declared->set_code(project);
  declared->set_name("对中心补助");
  declared->set_category(v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 300);
  auto centre = std::make_shared<v1::UnitBudget>(MakeBudget("031002"));
  Line(centre.get(), "2150550", "30201", "50502", kPublic, 300,
       v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  Income(centre.get(), v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 300, "031001");
  ASSERT_TRUE(consolidator.ReplaceUnitBudget(office).ok());
  ASSERT_TRUE(consolidator.ReplaceUnitBudget(centre).ok());

  auto names = [&](const std::string& node) {
    TableRequest request = RequestFor031(consolidator);
    request.node_code = node;
    auto table = BuildDisclosureTable("11", request);
    EXPECT_TRUE(table.ok()) << table.status();
    std::vector<std::string> listed;
    if (!table.ok()) return listed;
    for (const v1::TableRow& row : table->body_rows()) {
      if (row.kind() == v1::ROW_KIND_DETAIL) {
        listed.push_back(PrintedCell(row.cells(1)) + " " +
                         PrintedCell(row.cells(3)));
      }
    }
    return listed;
  };
  EXPECT_THAT(names("031"), ElementsAre());
  EXPECT_THAT(names("031001"), ElementsAre("对中心补助 30.0"));
}

TEST(TransferTablesTest, SummaryListsNoTransferWhenBothSidesAgree) {
  const v1::Summary summary = Department("031").Summary();
  EXPECT_EQ(summary.transfer_mismatch_count(), 0);
  EXPECT_TRUE(summary.transfer_mismatches().empty());
  EXPECT_EQ(summary.income_total_fen(), summary.expenditure_total_fen());
}

// The institution books 25.0 of the 机关's 30.0 subsidy: the department no
// longer balances, by the 5.0 the summary names.
TEST(TransferTablesTest, SummaryListsATransferWhoseSidesDisagree) {
  Department department("031");
  auto centre = std::make_shared<v1::UnitBudget>(
      *department.consolidator->Budget("031002", 2024));
  centre->mutable_income(0)->set_amount_fen(250 * kWanTenth);
  centre->mutable_expenditures(0)->set_amount_fen(250 * kWanTenth);
  ASSERT_TRUE(department.consolidator->ReplaceUnitBudget(centre).ok());

  const v1::Summary summary = department.Summary();
  ASSERT_EQ(summary.transfer_mismatch_count(), 1);
  ASSERT_EQ(summary.transfer_mismatches_size(), 1);
  const v1::TransferMismatch& pair = summary.transfer_mismatches(0);
  EXPECT_EQ(pair.payer_unit_code(), "031001");
  EXPECT_EQ(pair.payee_unit_code(), "031002");
  EXPECT_EQ(pair.kind(), v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  EXPECT_EQ(pair.paid_fen(), 300 * kWanTenth);
  EXPECT_EQ(pair.received_fen(), 250 * kWanTenth);
  EXPECT_EQ(summary.income_total_fen() - summary.expenditure_total_fen(),
            pair.paid_fen() - pair.received_fen());
}

// A 机关 paying more subordinates than a summary lists, none of which books
// the subsidy: the first kMaxTransferMismatchesListed are listed, all
// counted.
TEST(TransferTablesTest, SummaryListsAtMostItsLimitOfTransfers) {
  const int subordinates = static_cast<int>(kMaxTransferMismatchesListed) + 1;
  std::vector<v1::Unit> units = {
      MakeUnit("031", "", v1::UNIT_KIND_GROUP),
      MakeUnit("031001", "031", v1::UNIT_KIND_ADMINISTRATIVE)};
  auto office = std::make_shared<v1::UnitBudget>(MakeBudget("031001"));
  for (int i = 0; i < subordinates; ++i) {
    const std::string code = absl::StrCat("031", 100 + i);
    units.push_back(MakeUnit(code, "031"));
    v1::ExpenditureLine* subsidy =
        Line(office.get(), "2150501", "30299", "50299", kPublic, 1);
    subsidy->set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
    subsidy->set_counterpart_unit(code);
  }
  Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, subordinates);
  auto tree = UnitTree::Build(units);
  ASSERT_TRUE(tree.ok()) << tree.status();
  Consolidator consolidator(&*tree);
  ASSERT_TRUE(consolidator.ReplaceUnitBudget(office).ok());
  const TableRequest request = RequestFor031(consolidator);
  auto summary = BuildSummary(request, /*compare_year=*/0);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->transfer_mismatch_count(), subordinates);
  ASSERT_EQ(summary->transfer_mismatches_size(),
            static_cast<int>(kMaxTransferMismatchesListed));
  EXPECT_EQ(summary->transfer_mismatches(0).payee_unit_code(), "031100");
  EXPECT_EQ(summary->transfer_mismatches(0).received_fen(), 0);
}

}  // namespace
}  // namespace budget
