// The setting every budgetctl end-to-end test starts from: a scratch
// directory, the ingest and query services on one fresh store in it, and
// budgetctl pointed at them; LoadDepartment loads the golden department 021
// (fixtures/zhengzhou-iit) through budgetctl as deploy/local/run.sh does.
//
// Tests run with the source tree as working directory (budget_test).
#ifndef TESTS_CLI_CLI_FIXTURE_H_
#define TESTS_CLI_CLI_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/cli/processes.h"
#include "tests/testing/service_process.h"

namespace cli_test {

inline constexpr char kFixtures[] = "fixtures/zhengzhou-iit";

// Both services over one store file.
struct ServicePair {
  explicit ServicePair(const std::string& store_path)
      : ingest(INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store_path)),
        query(QUERY_SERVICE_BINARY, e2e_testing::StoreArgs(store_path)) {}
  e2e_testing::ServiceProcess ingest;
  e2e_testing::ServiceProcess query;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Runs budgetctl against `services` (default: services_).
  CommandResult Budgetctl(std::vector<std::string> args) const;
  CommandResult BudgetctlAt(const ServicePair& services,
                            std::vector<std::string> args) const;
  // Registers the units and submits every budget of `year`; returns the
  // highest consolidated revision reported (for --min-revision).
  std::string LoadDepartment(const std::vector<std::string>& years) const;
  // LoadDepartment({"2024"}), then the department's export of 2024 into
  // dir_/021-2024.export; returns its path.
  std::string LoadAndExport2024() const;

  std::string dir_;  // Scratch directory of this test.
  std::unique_ptr<ServicePair> services_;
};

// The value of the last "consolidated revision N" in `text`, or "0".
std::string LastConsolidatedRevision(const std::string& text);

}  // namespace cli_test

#endif  // TESTS_CLI_CLI_FIXTURE_H_
