// One run of the budgetctl binary for its end-to-end tests, with its exit
// code and output. (The services run through tests/testing/
// service_process.h.) Thread-compatible.
#ifndef TESTS_CLI_PROCESSES_H_
#define TESTS_CLI_PROCESSES_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace cli_test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/bin/budgetctl with `args`; output goes through files in
// `scratch_dir` so that a large output cannot block the child.
CommandResult RunBudgetctl(const std::vector<std::string>& args,
                           const std::string& scratch_dir);

}  // namespace cli_test

#endif  // TESTS_CLI_PROCESSES_H_
