// budgetctl's credential flags against services that require identity:
// --token and --token-file authenticate, a missing or wrong token is
// refused by the service, and contradictory flags are usage errors.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

class BudgetctlE2eTest : public SecurityFixture {
 protected:
  // Exit code of `budgetctl units list ... FLAGS`.
  int ListUnits(const std::string& flags) {
    std::string command = std::string(BUDGETCTL_BINARY) +
                          " units list --ingest " + ingest_->address() +
                          " --deadline 5s " + flags + " >/dev/null 2>&1";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(BudgetctlE2eTest, TokenFlagsAuthenticate) {
  EXPECT_EQ(ListUnits("--token " + TokenOf("admin")), 0);
  std::string file = ::testing::TempDir() + "/budgetctl.token";
  std::ofstream(file) << TokenOf("auditor") << "\n";
  EXPECT_EQ(ListUnits("--token-file " + file), 0);
}

TEST_F(BudgetctlE2eTest, MissingOrWrongTokenIsRefused) {
  EXPECT_EQ(ListUnits(""), 1);  // UNAUTHENTICATED: rejected, exit 1.
  EXPECT_EQ(ListUnits("--token token-nobody"), 1);
  EXPECT_EQ(ListUnits("--token " + TokenOf("public")),
            1);  // PERMISSION_DENIED.
}

// A reviewer of one node may register units below it but not read the
// whole registry: budgetctl checks the file against the subtree it may
// read, and a second run finds the unit registered as given.
TEST_F(BudgetctlE2eTest, AScopedReviewerRegistersUnitsBelowItsNode) {
  const std::string command =
      std::string(BUDGETCTL_BINARY) + " units add 021001901 科室测试单位 " +
      "--kind INSTITUTION --parent 021001 --ingest " + ingest_->address() +
      " --deadline 5s --token " + TokenOf("reviewer") + " 2>&1";
  auto run = [&](std::string* output) {
    FILE* pipe = popen(command.c_str(), "r");
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) *output += buffer;
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string first, second;
  EXPECT_EQ(run(&first), 0) << first;
  EXPECT_EQ(first, "registered 1 unit(s); 0 already present\n");
  EXPECT_EQ(run(&second), 0) << second;
  EXPECT_EQ(second, "registered 0 unit(s); 1 already present\n");
}

TEST_F(BudgetctlE2eTest, ContradictoryFlagsAreUsageErrors) {
  EXPECT_EQ(ListUnits("--cert c.pem"), 2);
  EXPECT_EQ(ListUnits("--token a --token-file b"), 2);
}

}  // namespace
}  // namespace security_test
