#include "tests/cli/cli_fixture.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "tests/testing/scratch_dir.h"

namespace cli_test {

void CliTest::SetUp() {
  dir_ = e2e_testing::MakeScratchDir().string();
  services_ = std::make_unique<ServicePair>(dir_ + "/budget.db");
  ASSERT_FALSE(services_->ingest.address().empty());
  ASSERT_FALSE(services_->query.address().empty());
}

CommandResult CliTest::Budgetctl(std::vector<std::string> args) const {
  return BudgetctlAt(*services_, std::move(args));
}

CommandResult CliTest::BudgetctlAt(const ServicePair& services,
                                   std::vector<std::string> args) const {
  args.push_back("--ingest=" + services.ingest.address());
  args.push_back("--query=" + services.query.address());
  return RunBudgetctl(args, dir_);
}

std::string CliTest::LoadDepartment(
    const std::vector<std::string>& years) const {
  CommandResult units =
      Budgetctl({"units", "import", std::string(kFixtures) + "/units.units"});
  EXPECT_EQ(units.exit_code, 0) << units.err;
  std::vector<std::string> submit = {"submit"};
  for (const std::string& year : years) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::string(kFixtures) + "/" + year)) {
      if (entry.path().extension() == ".budget") {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    submit.insert(submit.end(), files.begin(), files.end());
  }
  CommandResult submitted = Budgetctl(submit);
  EXPECT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  return LastConsolidatedRevision(submitted.out);
}

std::string LastConsolidatedRevision(const std::string& text) {
  static const std::regex kRevision("consolidated revision ([0-9]+)");
  std::string last = "0";
  for (std::sregex_iterator it(text.begin(), text.end(), kRevision), end;
       it != end; ++it) {
    last = std::max((*it)[1].str(), last,
                    [](const std::string& a, const std::string& b) {
                      return std::stoll(a) < std::stoll(b);
                    });
  }
  return last;
}

std::string CliTest::LoadAndExport2024() const {
  const std::string revision = LoadDepartment({"2024"});
  const std::string file = dir_ + "/021-2024.export";
  CommandResult exported = Budgetctl({"export", file, "--unit", "021", "--year",
                                      "2024", "--min-revision", revision});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  return file;
}

}  // namespace cli_test
