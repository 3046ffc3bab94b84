// The budget cycle through budgetctl (docs/budget-cycle.md): submit
// --stage, control issue/show, approve, adjust, table/aggregate --stage and
// --compare-stage, against the real services, on unit 021017 of the
// reference department (fixtures/zhengzhou-iit/cycle).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

constexpr char kCycle[] = "fixtures/zhengzhou-iit/cycle";

TEST_F(CliTest, WholeCycleOfOneUnit) {
  const std::string cycle = kCycle;
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  CommandResult proposal = Budgetctl(
      {"submit", "--stage", "proposal", cycle + "/proposal/021017.budget"});
  ASSERT_EQ(proposal.exit_code, 0) << proposal.err;

  CommandResult control =
      Budgetctl({"control", "issue", cycle + "/control-2024.json"});
  ASSERT_EQ(control.exit_code, 0) << control.err;
  EXPECT_THAT(control.out, HasSubstr("issued control figures of 021017 2024"));
  // Issuing again replays: nothing stored twice.
  CommandResult again =
      Budgetctl({"control", "issue", cycle + "/control-2024.json"});
  EXPECT_THAT(again.out, HasSubstr("(already issued)"));

  CommandResult over = Budgetctl({"submit", "--stage", "submission",
                                  cycle + "/over-control/021017.budget"});
  EXPECT_NE(over.exit_code, 0);
  EXPECT_THAT(over.err + over.out, HasSubstr("BGT-E101"));

  CommandResult within =
      Budgetctl({"submit", "--stage", "submission",
                 std::string(kFixtures) + "/2024/021017.budget"});
  ASSERT_EQ(within.exit_code, 0) << within.err;

  CommandResult approve = Budgetctl({"approve", "021017", "2024"});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_THAT(approve.out, HasSubstr("approved (二下) 021017 2024"));

  CommandResult adjust =
      Budgetctl({"adjust", cycle + "/adjustments/1-increase-021017.json",
                 "--reason", "追加（示例）", "--doc", "郑财预〔2024〕99号"});
  ASSERT_EQ(adjust.exit_code, 0) << adjust.err;
  EXPECT_THAT(adjust.out, HasSubstr("(郑财预〔2024〕99号)"));
  // 837.1 万元 approved + 20.0 万元.
  EXPECT_THAT(adjust.out, HasSubstr("021017 调整后 857.1 万元"));
  const std::string revision = LastConsolidatedRevision(adjust.out);

  CommandResult show =
      Budgetctl({"control", "show", "--unit", "021017", "--year", "2024"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("控制数 021017 2024 郑财预〔2023〕88号"));
  EXPECT_THAT(show.out, HasSubstr("调整 021 2024 ADJUSTMENT_KIND_INCREASE "
                                  "郑财预〔2024〕99号"));

  CommandResult compare = Budgetctl(
      {"aggregate", "--unit", "021017", "--year", "2024", "--min-revision",
       revision, "--stage", "adjusted", "--compare-stage", "approved"});
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_THAT(compare.out, HasSubstr("\tadjusted\tapproved\t增减%\n"));
  EXPECT_THAT(compare.out, HasSubstr("合计\t857.1\t837.1\t2.4%"));

  // A column per stage and for the control figures, each with the
  // difference: the 追加 is 20.0 万元 over both the control and the approved
  // project spending of 35.0; basic spending has no proposal difference
  // beyond the 10 % the proposals asked for.
  CommandResult columns = Budgetctl(
      {"aggregate", "--unit", "021017", "--year", "2024", "--min-revision",
       revision, "--stage", "adjusted", "--drilldown", "nature",
       "--compare-stage", "proposal,control,approved"});
  ASSERT_EQ(columns.exit_code, 0) << columns.err;
  EXPECT_THAT(columns.out,
              HasSubstr("\tadjusted\tproposal\t差额\tcontrol\t差额\t"
                        "approved\t差额\n"));
  EXPECT_THAT(columns.out, HasSubstr("\t55.0\t"));
  EXPECT_THAT(columns.out, HasSubstr("\t35.0\t+20.0\t35.0\t+20.0\n"));
  CommandResult by_function = Budgetctl(
      {"aggregate", "--unit", "021017", "--year", "2024", "--drilldown",
       "function_class", "--compare-stage", "control,approved"});
  EXPECT_NE(by_function.exit_code, 0);
  EXPECT_THAT(by_function.err, HasSubstr("dimension FUNCTION_CLASS given"));

  for (const char* stage : {"proposal", "approved", "adjusted"}) {
    CommandResult table =
        Budgetctl({"table", "T01", "--unit", "021017", "--year", "2024",
                   "--min-revision", revision, "--stage", stage});
    ASSERT_EQ(table.exit_code, 0) << stage << ": " << table.err;
    EXPECT_THAT(table.out,
                HasSubstr(std::string(stage) == "proposal"   ? "920.8"
                          : std::string(stage) == "approved" ? "837.1"
                                                             : "857.1"))
        << stage;
    // Figures of another stage than the published one say which.
    if (std::string(stage) == "proposal") {
      EXPECT_THAT(table.out, testing::StartsWith("[一上 proposal, "));
    } else if (std::string(stage) == "approved") {
      EXPECT_THAT(table.out, Not(HasSubstr("[")));
    }
    CommandResult summary =
        Budgetctl({"summary", "--unit", "021017", "--year", "2024",
                   "--min-revision", revision, "--stage", stage});
    EXPECT_THAT(summary.out, HasSubstr(std::string(" ") + stage + ", "))
        << summary.out;
  }
  CommandResult bad = Budgetctl({"table", "T01", "--unit", "021017", "--year",
                                 "2024", "--stage", "final"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("unknown stage 'final'"));
}

// A user who goes back to an earlier 二上 (A, then B, then A again) or to
// earlier control figures means them to be in force again: budgetctl's
// content-derived request ids must not turn that into a silent replay. A
// plain re-run of the last command still stores nothing.
TEST_F(CliTest, GoingBackToAnEarlierVersionPutsItInForce) {
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  const std::string control =
      ReadText(std::string(kCycle) + "/control-2024.json");
  const std::string control_b = absl::StrReplaceAll(
      control, {{"郑财预〔2023〕88号", "郑财预〔2023〕90号"}});
  WriteText(dir_ + "/control-b.json", control_b);
  for (const std::string& file :
       {std::string(kCycle) + "/control-2024.json", dir_ + "/control-b.json",
        std::string(kCycle) + "/control-2024.json"}) {
    CommandResult issued = Budgetctl({"control", "issue", file});
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
    EXPECT_THAT(issued.out, Not(HasSubstr("already issued"))) << file;
  }
  CommandResult rerun = Budgetctl(
      {"control", "issue", std::string(kCycle) + "/control-2024.json"});
  EXPECT_THAT(rerun.out, HasSubstr("(already issued)"));
  CommandResult show =
      Budgetctl({"control", "show", "--unit", "021017", "--year", "2024"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out,
              testing::ContainsRegex("郑财预〔2023〕88号 by [^\n]*\n"
                                     "(  [^\n]*\n)*$"))
      << show.out;  // The last issue listed is A again.

  // B spends 1.00 yuan less than A (under the control figures: accepted).
  const std::string a = std::string(kFixtures) + "/2024/021017.budget";
  WriteText(dir_ + "/021017.budget",
            absl::StrReplaceAll(ReadText(a), {{"8370529.00", "8370528.00"},
                                              {",67566.00", ",67565.00"}}));
  std::vector<std::string> revisions;
  for (const std::string& file : {a, dir_ + "/021017.budget", a, a}) {
    CommandResult submitted =
        Budgetctl({"submit", "--stage", "submission", file});
    ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
    revisions.push_back(submitted.out);
  }
  EXPECT_THAT(revisions[0], HasSubstr("accepted as revision 1 "));
  EXPECT_THAT(revisions[1], HasSubstr("accepted as revision 2 "));
  EXPECT_THAT(revisions[2], HasSubstr("accepted as revision 3 "));
  EXPECT_THAT(revisions[2], Not(HasSubstr("already stored")));
  EXPECT_THAT(revisions[3], HasSubstr("accepted as revision 3 "));
  EXPECT_THAT(revisions[3], HasSubstr("already stored before"));
  CommandResult approve = Budgetctl({"approve", "021017", "2024"});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_THAT(approve.out, HasSubstr("as revision 4 "));  // Approves A.
  CommandResult history = Budgetctl({"history", "021017", "2024"});
  EXPECT_THAT(history.out, testing::ContainsRegex("revision 3\t[^\n]*\t二上 "
                                                  "submission\t"));
  EXPECT_THAT(history.out,
              testing::ContainsRegex("revision 4\t[^\n]*\t二下 批复 approved"));
}

// An export of 一上 proposals imports as proposals: the receiving store
// must not read them as the approved budget.
TEST_F(CliTest, ExportedProposalsImportAsProposals) {
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  CommandResult proposal =
      Budgetctl({"submit", "--stage", "proposal",
                 std::string(kCycle) + "/proposal/021017.budget"});
  ASSERT_EQ(proposal.exit_code, 0) << proposal.err;
  const std::string file = dir_ + "/proposals.export";
  CommandResult exported = Budgetctl(
      {"export", file, "--unit", "021", "--year", "2024", "--min-revision",
       LastConsolidatedRevision(proposal.out), "--stage", "proposal"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;

  std::filesystem::create_directories(dir_ + "/fresh");
  ServicePair fresh(dir_ + "/fresh/budget.db");
  CommandResult imported = BudgetctlAt(fresh, {"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string revision = LastConsolidatedRevision(imported.out);
  CommandResult as_proposal =
      BudgetctlAt(fresh, {"table", "T01", "--unit", "021017", "--year", "2024",
                          "--min-revision", revision, "--stage", "proposal"});
  ASSERT_EQ(as_proposal.exit_code, 0) << as_proposal.err;
  EXPECT_THAT(as_proposal.out, HasSubstr("920.8"));
  CommandResult as_approved =
      BudgetctlAt(fresh, {"table", "T01", "--unit", "021017", "--year", "2024",
                          "--min-revision", revision});
  EXPECT_THAT(as_approved.out + as_approved.err, Not(HasSubstr("920.8")));
}

// A refused adjustment names every broken rule at its place in the file.
TEST_F(CliTest, ARefusedAdjustmentListsItsFindings) {
  ASSERT_EQ(
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"})
          .exit_code,
      0);
  // Income raised, spending not: unbalanced (BGT-E112), and nothing of
  // 2024 is approved yet (BGT-E114).
  const std::string adjustment = absl::StrReplaceAll(
      ReadText(std::string(kCycle) + "/adjustments/1-increase-021017.json"),
      {{"\"source\": \"FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET\", \"deltaFen\": "
        "\"20000000\"",
        "\"source\": \"FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET\", \"deltaFen\": "
        "\"30000000\""}});
  WriteText(dir_ + "/adjust.json", adjustment);
  CommandResult refused = Budgetctl({"adjust", dir_ + "/adjust.json"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr(dir_ + "/adjust.json:8: BGT-E114 fatal "
                                            "income[0].unit_code"));
  EXPECT_THAT(refused.err, HasSubstr("adjustment rejected"));
  EXPECT_THAT(refused.err, Not(HasSubstr("budget rejected")));
}

}  // namespace
}  // namespace cli_test
