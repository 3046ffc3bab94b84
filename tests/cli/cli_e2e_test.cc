// budgetctl against the real services: submitting, dry runs that locate
// every error on its line, the table formats, export then import into a
// fresh store, and the exit codes.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "budget/v1/tables.pb.h"
#include "budgetctl/export_file.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string kUnitFile = std::string(kFixtures) + "/2024/021017.budget";

TEST_F(CliTest, SubmitStoresOnceAndRepeatsAreIdempotent) {
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  CommandResult first = Budgetctl({"submit", kUnitFile});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("accepted as revision 1 of 021017 2024"));
  CommandResult again = Budgetctl({"submit", kUnitFile});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("revision 1 of 021017 2024"));
  EXPECT_THAT(again.out, HasSubstr("already stored before"));

  CommandResult history = Budgetctl({"history", "021017", "2024"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("revision 1"));
  EXPECT_THAT(history.out, Not(HasSubstr("revision 2")));
}

TEST_F(CliTest, DryRunReportsEveryErrorAtItsLineAndStoresNothing) {
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  // Line 13: a function code of five digits; line 16: a department economic
  // code of four. Both must be reported, each at its own line.
  std::vector<std::string> lines = absl::StrSplit(Slurp(kUnitFile), '\n');
  ASSERT_GT(lines.size(), 16u);
  ASSERT_EQ(lines[12].substr(0, 8), "2240450,");
  lines[12].replace(0, 7, "22404");
  ASSERT_EQ(lines[15].substr(0, 14), "2240450,30110,");
  lines[15].replace(8, 5, "3011");
  const std::string broken = dir_ + "/021017.budget";
  std::ofstream(broken) << absl::StrJoin(lines, "\n");
  const std::string csv = dir_ + "/errors.csv";

  CommandResult dry =
      Budgetctl({"submit", "--dry-run", broken, "--errors-csv", csv});
  EXPECT_EQ(dry.exit_code, 1) << dry.out << dry.err;
  EXPECT_THAT(dry.err, HasSubstr(broken + ":13: BGT-E010 fatal "
                                          "expenditures[1].function_code"));
  EXPECT_THAT(dry.err, HasSubstr("given: \"22404\""));
  EXPECT_THAT(dry.err,
              HasSubstr(broken + ":16: BGT-E012 fatal "
                                 "expenditures[4].dept_economic_code"));
  EXPECT_THAT(dry.err, HasSubstr("given: \"3011\""));
  EXPECT_THAT(dry.err, HasSubstr("next:"));

  std::string rows = Slurp(csv);
  EXPECT_THAT(rows, HasSubstr("rule,severity,file,line,field,value,expected,"
                              "message\r\n"));
  EXPECT_THAT(rows, HasSubstr("BGT-E010,fatal," + broken +
                              ",13,expenditures[1].function_code,22404,"));
  EXPECT_THAT(rows, HasSubstr("BGT-E012,fatal," + broken +
                              ",16,expenditures[4].dept_economic_code,3011,"));

  // A dry run stores nothing, even of a valid file.
  ASSERT_EQ(Budgetctl({"submit", "--dry-run", kUnitFile}).exit_code, 0);
  EXPECT_EQ(Budgetctl({"history", "021017", "2024"}).out,
            "nothing stored: 021017 has no budget for 2024\n");
}

TEST_F(CliTest, ExitCodes) {
  // 2: usage errors, before anything is sent.
  CommandResult no_table = Budgetctl({"table", "--unit", "021"});
  EXPECT_EQ(no_table.exit_code, 2);
  EXPECT_THAT(no_table.err, HasSubstr("usage: budgetctl table"));
  EXPECT_EQ(Budgetctl({"submit", "--dryrun", kUnitFile}).exit_code, 2);
  EXPECT_EQ(Budgetctl({"no-such-command"}).exit_code, 2);

  // 1: a rejected file (its unit is not registered in this store).
  CommandResult rejected = Budgetctl({"submit", kUnitFile});
  EXPECT_EQ(rejected.exit_code, 1) << rejected.out << rejected.err;
  EXPECT_THAT(rejected.err, HasSubstr("next:"));

  // 3: the service is gone.
  services_->ingest.Stop(SIGTERM);
  CommandResult unreachable = Budgetctl({"units", "list", "--deadline", "2s"});
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_THAT(unreachable.err, HasSubstr("next: no service answers at " +
                                         services_->ingest.address()));
}

TEST_F(CliTest, TablesInTextCsvAndJson) {
  std::string revision = LoadDepartment({"2024"});
  struct Expectation {
    std::string table;
    std::string total;  // 万元 as published.
  };
  for (const Expectation& e :
       {Expectation{"T01", "96,262.5"}, Expectation{"T05", "96,258.3"}}) {
    std::vector<std::string> base = {
        "table",  e.table, "--unit",         "021",
        "--year", "2024",  "--min-revision", revision};
    CommandResult text = Budgetctl(base);
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_THAT(text.out, HasSubstr(e.total)) << text.out;
    EXPECT_THAT(text.out, HasSubstr("郑州市工业和信息化局"));

    std::vector<std::string> csv_args = base;
    csv_args.insert(csv_args.end(), {"--format", "csv"});
    CommandResult csv = Budgetctl(csv_args);
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_THAT(csv.out, HasSubstr("\"" + e.total + "\""));
    EXPECT_THAT(csv.out, HasSubstr("\r\n"));

    std::vector<std::string> json_args = base;
    json_args.insert(json_args.end(), {"--format", "json"});
    CommandResult json = Budgetctl(json_args);
    ASSERT_EQ(json.exit_code, 0) << json.err;
    budget::v1::DisclosureTable table;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(json.out, &table).ok())
        << json.out;
    EXPECT_EQ("T" + table.table_id(), e.table);
    EXPECT_EQ(table.node_code(), "021");
    EXPECT_GT(table.body_rows_size(), 0);
  }
}

TEST_F(CliTest, ExportThenImportIntoAFreshStoreGivesTheSameTables) {
  std::string revision = LoadDepartment({"2024"});
  const std::string file = dir_ + "/021-2024.export";
  CommandResult exported = Budgetctl({"export", file, "--unit", "021", "--year",
                                      "2024", "--min-revision", revision});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr(" and 6 budget(s)"));
  // Piped stderr: no progress bar drawn.
  EXPECT_THAT(exported.err, Not(HasSubstr("\r")));

  std::filesystem::create_directories(dir_ + "/fresh");
  ServicePair fresh(dir_ + "/fresh/budget.db");
  ASSERT_FALSE(fresh.query.address().empty());
  CommandResult imported = BudgetctlAt(fresh, {"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("imported 6 budget(s)"));
  std::string fresh_revision = LastConsolidatedRevision(imported.out);

  for (int t = 1; t <= 13; ++t) {
    std::string id = (t < 10 ? "T0" : "T") + std::to_string(t);
    CommandResult original = Budgetctl({"table", id, "--unit", "021", "--year",
                                        "2024", "--min-revision", revision});
    CommandResult copy =
        BudgetctlAt(fresh, {"table", id, "--unit", "021", "--year", "2024",
                            "--min-revision", fresh_revision});
    ASSERT_EQ(original.exit_code, 0) << id << original.err;
    ASSERT_EQ(copy.exit_code, 0) << id << copy.err;
    EXPECT_EQ(copy.out, original.out) << id;
  }
}

// Importing a file whose budgets the store holds already stores nothing
// and says so; a budget the store has moved on from since is named, since
// the tables then do not show the file's figures.
TEST_F(CliTest, ImportingAgainCountsReplaysAndNamesBudgetsNoLongerLatest) {
  const std::string file = LoadAndExport2024();
  // 021017 again, 100 yuan more on both sides.
  std::string later = Slurp(kUnitFile);
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"GENERAL_PUBLIC_BUDGET,8370529.00",
                                            "GENERAL_PUBLIC_BUDGET,8370629.00"},
        {",,2277530.00", ",,2277630.00"}}) {
    const size_t at = later.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    later.replace(at, from.size(), to);
  }
  std::ofstream(dir_ + "/021017.budget") << later;
  CommandResult submitted = Budgetctl({"submit", dir_ + "/021017.budget"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;

  CommandResult imported = Budgetctl({"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr(": 0 stored now, 6 stored before\n"));
  EXPECT_THAT(imported.err,
              HasSubstr("021017 2024: the file's budget is revision 1, stored "
                        "before; the latest is revision 2"));
  EXPECT_THAT(imported.err, Not(HasSubstr("021001 2024")));
}

std::vector<budget::v1::ExportRecord> ReadExport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  budgetctl::ExportReader reader(&in);
  std::vector<budget::v1::ExportRecord> records;
  for (;;) {
    absl::StatusOr<budget::v1::ExportRecord> record = reader.Next();
    if (!record.ok()) break;
    records.push_back(*std::move(record));
  }
  return records;
}

void WriteExport(const std::string& path,
                 const std::vector<budget::v1::ExportRecord>& records) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const budget::v1::ExportRecord& record : records) {
    ASSERT_TRUE(budgetctl::WriteExportRecord(record, out).ok());
  }
}

// An import stores nothing unless the whole file checks out: an amount
// edited after export (on both sides, so the budget still balances) is
// caught by the trailer's totals before anything is sent, and a budget the
// importing store refuses (here one left unbalanced, the trailer edited to
// match) stops every budget from being stored, not only its own.
TEST_F(CliTest, ImportStoresNothingUnlessTheWholeFileChecksOut) {
  const std::string file = LoadAndExport2024();
  const std::vector<budget::v1::ExportRecord> records = ReadExport(file);
  ASSERT_GT(records.size(), 2u);
  // The last budget record, the one before the trailer.
  const size_t last = records.size() - 2;
  ASSERT_TRUE(records[last].has_budget());
  ASSERT_TRUE(records.back().has_trailer());

  std::vector<budget::v1::ExportRecord> balanced = records;
  budget::v1::UnitBudget* edited = balanced[last].mutable_budget();
  edited->mutable_expenditures(0)->set_amount_fen(
      edited->expenditures(0).amount_fen() + 100);
  edited->mutable_income(0)->set_amount_fen(edited->income(0).amount_fen() +
                                            100);
  WriteExport(dir_ + "/balanced.export", balanced);

  std::vector<budget::v1::ExportRecord> unbalanced = records;
  edited = unbalanced[last].mutable_budget();
  edited->mutable_expenditures(0)->set_amount_fen(
      edited->expenditures(0).amount_fen() + 100);
  budget::v1::NodeTotals* totals =
      unbalanced.back().mutable_trailer()->mutable_totals();
  totals->set_expenditure_fen(totals->expenditure_fen() + 100);
  WriteExport(dir_ + "/unbalanced.export", unbalanced);

  // Exported from under a region the receiver does not hold.
  std::vector<budget::v1::ExportRecord> below_region = records;
  ASSERT_TRUE(below_region.front().has_unit());
  below_region.front().mutable_unit()->set_parent_code("4101");
  WriteExport(dir_ + "/below_region.export", below_region);

  std::filesystem::create_directories(dir_ + "/fresh");
  ServicePair fresh(dir_ + "/fresh/budget.db");
  ASSERT_FALSE(fresh.query.address().empty());
  CommandResult changed =
      BudgetctlAt(fresh, {"import", dir_ + "/balanced.export"});
  EXPECT_NE(changed.exit_code, 0);
  EXPECT_THAT(changed.err, HasSubstr("the file was changed after export"));
  EXPECT_THAT(changed.err, HasSubstr("nothing was sent"));
  EXPECT_THAT(BudgetctlAt(fresh, {"units", "list"}).out,
              Not(HasSubstr("021001")));

  CommandResult refused =
      BudgetctlAt(fresh, {"import", dir_ + "/unbalanced.export"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("BGT-E050"));
  EXPECT_THAT(refused.err, HasSubstr("1 of 6 budget(s)"));
  EXPECT_THAT(refused.err, HasSubstr("none was stored"));
  for (const budget::v1::ExportRecord& record : records) {
    if (!record.has_budget()) continue;
    CommandResult history =
        BudgetctlAt(fresh, {"history", record.budget().unit_code(), "2024"});
    EXPECT_THAT(history.out, Not(HasSubstr("revision")))
        << record.budget().unit_code() << history.out << history.err;
  }

  CommandResult placed =
      BudgetctlAt(fresh, {"import", dir_ + "/below_region.export"});
  EXPECT_EQ(placed.exit_code, 0) << placed.err;
  EXPECT_THAT(placed.err, HasSubstr("021's parent 4101 is not registered "
                                    "here: 021 is registered at the top"));
  EXPECT_THAT(placed.out, HasSubstr("imported 6 budget(s)"));
}

}  // namespace
}  // namespace cli_test
