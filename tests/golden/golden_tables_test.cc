// The reference department (fixtures/zhengzhou-iit), consolidated in process
// with the real parsers, Consolidator and table builders: every printed cell
// of tables 01-08 and 11, tables 12 and 13, the figures of 第二部分 and the
// renderings reproduce the published document (except the cells and row that
// expected/known_differences.tsv names with a reason), and a 0.1 万元 change
// of any single line of any 2024 budget shows in some printed cell.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "budget/budget_file/csv_reader.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/money.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/display_width.h"
#include "budget/tables/render_csv.h"
#include "budget/tables/render_text.h"
#include "budget/tables/summary.h"
#include "budget/tables/table_grid.h"
#include "gtest/gtest.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/testing/reference_fixture.h"

namespace budget {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_DIR;
const std::string kExpected = (kFixtures / "expected").string();
constexpr char kDepartment[] = "021";
constexpr int kYear = 2024;
constexpr int64_t kTenthWanFen = 100'000;  // 0.1 万元 = 1,000 yuan.
// The tables whose every numeric cell the TSVs give.
const char* const kAmountTables[] = {"01", "02", "03", "04", "05",
                                     "06", "07", "08", "11"};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The registry and both years of budgets, consolidated once for all tests.
class GoldenTablesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<UnitTree> tree =
        UnitTree::Build(e2e_testing::ReferenceUnits());
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = new UnitTree(*std::move(tree));
    consolidator_ = new Consolidator(tree_);
    budgets_ = new std::vector<std::shared_ptr<const v1::UnitBudget>>;
    for (int year : {kYear - 1, kYear}) {
      for (const e2e_testing::ReferenceBudget& file :
           e2e_testing::ReferenceBudgets(year)) {
        auto budget = std::make_shared<const v1::UnitBudget>(file.budget);
        ASSERT_TRUE(consolidator_->ReplaceUnitBudget(budget).ok());
        if (year == kYear) budgets_->push_back(budget);
      }
    }
  }

  static TableRequest Request() {
    TableRequest request;
    request.consolidation = consolidator_;
    request.catalog = &Catalog::Default();
    request.node_code = kDepartment;
    request.fiscal_year = kYear;
    return request;
  }

  static v1::DisclosureTable Build(const std::string& id) {
    absl::StatusOr<v1::DisclosureTable> table =
        BuildDisclosureTable(id, Request());
    EXPECT_TRUE(table.ok()) << id << ": " << table.status();
    return table.ok() ? *std::move(table) : v1::DisclosureTable();
  }

  // Differences of the amount tables from the print, all at once.
  static std::vector<std::string> AmountTableDifferences() {
    std::vector<std::string> problems;
    for (const char* id : kAmountTables) {
      for (std::string& problem :
           expected_tables::CompareWithExpected(Build(id), kExpected)) {
        problems.push_back(std::move(problem));
      }
    }
    return problems;
  }

  static UnitTree* tree_;
  static Consolidator* consolidator_;
  static std::vector<std::shared_ptr<const v1::UnitBudget>>* budgets_;
};

UnitTree* GoldenTablesTest::tree_ = nullptr;
Consolidator* GoldenTablesTest::consolidator_ = nullptr;
std::vector<std::shared_ptr<const v1::UnitBudget>>* GoldenTablesTest::budgets_ =
    nullptr;

TEST_F(GoldenTablesTest, EveryPrintedCellOfTheTablesIsReproduced) {
  for (const char* id :
       {"01", "02", "03", "04", "05", "06", "07", "08", "11", "12", "13"}) {
    std::vector<std::string> problems =
        expected_tables::CompareWithExpected(Build(id), kExpected);
    EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  }
}

// The unit amounts were chosen so that each printed cell rounds as
// published; this shows the comparison is tight enough to notice any one of
// them being off by 0.1 万元.
TEST_F(GoldenTablesTest, AnyLineOffByOneTenthWanChangesAPrintedCell) {
  ASSERT_TRUE(AmountTableDifferences().empty());
  int mutations = 0;
  for (const std::shared_ptr<const v1::UnitBudget>& original : *budgets_) {
    const int lines = original->expenditures_size() + original->income_size();
    for (int i = 0; i < lines; ++i) {
      auto changed = std::make_shared<v1::UnitBudget>(*original);
      std::string what;
      if (i < original->expenditures_size()) {
        v1::ExpenditureLine* line = changed->mutable_expenditures(i);
        line->set_amount_fen(line->amount_fen() + kTenthWanFen);
        what =
            absl::StrCat("expenditure ", line->function_code(), " ",
                         line->dept_economic_code(), " ", line->project_code());
      } else {
        v1::IncomeLine* line =
            changed->mutable_income(i - original->expenditures_size());
        line->set_amount_fen(line->amount_fen() + kTenthWanFen);
        what = absl::StrCat("income ", v1::FundingSource_Name(line->source()));
      }
      ASSERT_TRUE(consolidator_->ReplaceUnitBudget(changed).ok());
      EXPECT_FALSE(AmountTableDifferences().empty())
          << original->unit_code() << " " << what
          << ": +0.1 万元 changes no printed cell";
      ++mutations;
      ASSERT_TRUE(consolidator_->ReplaceUnitBudget(original).ok());
    }
  }
  EXPECT_GT(mutations, 200);
  EXPECT_TRUE(AmountTableDifferences().empty());
}

// expected/explanations.csv: the figures of 第二部分 as key,value.
std::map<std::string, std::string> Explanations() {
  std::map<std::string, std::string> figures;
  const std::string text =
      ReadFile(kFixtures / "expected" / "explanations.csv");
  CsvReader reader(text);
  CsvRow row;
  reader.Next(&row);  // key,value
  while (reader.Next(&row)) figures[row.fields[0]] = row.fields[1];
  EXPECT_TRUE(reader.errors().empty());
  return figures;
}

TEST_F(GoldenTablesTest, ExplanatoryFiguresEqualThePublishedSentences) {
  absl::StatusOr<v1::Summary> summary = BuildSummary(Request(), kYear - 1);
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->compare_year(), kYear - 1);
  const v1::ThreePublicExpenses& three = summary->three_public();
  const v1::ThreePublicExpenses& prior = summary->prior_three_public();
  const v1::OtherDisclosures& other = summary->other();
  const std::map<std::string, std::string> computed = {
      {"income_total", FormatWan(summary->income_total_fen())},
      {"expenditure_total", FormatWan(summary->expenditure_total_fen())},
      {"income_increase_over_2023",
       FormatWan(summary->income_change().change_fen())},
      {"income_growth_percent", summary->income_change().change_percent()},
      {"income_general_public_budget",
       FormatWan(summary->general_public_budget_fen())},
      {"income_other", FormatWan(summary->other_income_fen())},
      {"expenditure_basic", FormatWan(summary->basic().part_fen())},
      {"expenditure_basic_share", summary->basic().percent()},
      {"expenditure_project", FormatWan(summary->project().part_fen())},
      {"expenditure_project_share", summary->project().percent()},
      {"fiscal_total", FormatWan(summary->fiscal_basic().whole_fen())},
      {"fiscal_increase_over_2023",
       FormatWan(summary->general_public_budget_change().change_fen())},
      {"fiscal_growth_percent",
       summary->general_public_budget_change().change_percent()},
      {"gpb_basic", FormatWan(summary->fiscal_basic().part_fen())},
      {"gpb_basic_share", summary->fiscal_basic().percent()},
      {"gpb_project", FormatWan(summary->fiscal_project().part_fen())},
      {"gpb_project_share", summary->fiscal_project().percent()},
      {"gpb_basic_personnel", FormatWan(summary->personnel().part_fen())},
      {"gpb_basic_personnel_share", summary->personnel().percent()},
      {"gpb_basic_public", FormatWan(summary->public_funds().part_fen())},
      {"gpb_basic_public_share", summary->public_funds().percent()},
      {"three_public_total", FormatWan(three.total_fen())},
      {"three_public_decrease_from_2023",
       FormatWan(-summary->three_public_change().change_fen())},
      {"overseas", FormatWan(three.outbound_travel_fen())},
      {"reception", FormatWan(three.reception_fen())},
      {"reception_decrease_from_2023",
       FormatWan(prior.reception_fen() - three.reception_fen())},
      {"vehicle_purchase_and_operation",
       FormatWan(three.vehicle_purchase_fen() + three.vehicle_operation_fen())},
      {"vehicle_purchase", FormatWan(three.vehicle_purchase_fen())},
      {"vehicle_operation", FormatWan(three.vehicle_operation_fen())},
      {"vehicle_operation_decrease_from_2023",
       FormatWan(prior.vehicle_operation_fen() -
                 three.vehicle_operation_fen())},
      {"institution_operating", FormatWan(other.institution_operating_fen())},
      {"procurement_total",
       FormatWan(other.procurement_goods_fen() + other.procurement_works_fen() +
                 other.procurement_services_fen())},
      {"procurement_goods", FormatWan(other.procurement_goods_fen())},
      {"procurement_services", FormatWan(other.procurement_services_fen())},
      {"vehicles_total",
       absl::StrCat(other.general_vehicles() + other.other_vehicles())},
      {"general_vehicles", absl::StrCat(other.general_vehicles())},
      {"other_vehicles", absl::StrCat(other.other_vehicles())},
      {"general_devices_over_500k",
       absl::StrCat(other.general_devices_over_500k())},
      {"special_devices_over_1m",
       absl::StrCat(other.special_devices_over_1m())},
  };
  const std::map<std::string, std::string> published = Explanations();
  ASSERT_EQ(published.size(), computed.size());
  for (const auto& [key, value] : published) {
    auto it = computed.find(key);
    ASSERT_NE(it, computed.end()) << key;
    EXPECT_EQ(it->second, value) << key;
  }
}

// Text: every grid line of every table has one display width (CJK counting
// two columns). CSV: reading it back gives the laid-out cells, record by
// record, header, body and notes.
TEST_F(GoldenTablesTest, EveryTableRendersAlignedTextAndRoundTripCsv) {
  for (const char* id : {"01", "02", "03", "04", "05", "06", "07", "08", "09",
                         "10", "11", "12", "13"}) {
    SCOPED_TRACE(id);
    const v1::DisclosureTable table = Build(id);
    std::vector<int> widths;
    for (absl::string_view line : absl::StrSplit(RenderText(table), '\n')) {
      if (absl::StartsWith(line, "|")) widths.push_back(DisplayWidth(line));
    }
    ASSERT_GT(widths.size(), 1u);
    EXPECT_EQ(std::count(widths.begin(), widths.end(), widths[0]),
              static_cast<long>(widths.size()));

    const TableGrid grid = LayOut(table);
    std::vector<std::vector<std::string>> want;
    for (const auto* part : {&grid.header, &grid.body}) {
      for (const std::vector<GridCell>& cells : *part) {
        std::vector<std::string>& record = want.emplace_back();
        for (const GridCell& cell : cells) record.push_back(cell.text);
      }
    }
    for (const std::string& note : table.notes()) want.push_back({note});
    const std::string csv = RenderCsv(table);
    CsvReader reader(csv);
    std::vector<std::vector<std::string>> got;
    CsvRow row;
    while (reader.Next(&row)) got.push_back(row.fields);
    EXPECT_TRUE(reader.errors().empty());
    EXPECT_EQ(got, want);
  }
}

}  // namespace
}  // namespace budget
