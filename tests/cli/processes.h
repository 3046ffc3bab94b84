// Processes for the end-to-end tests of budgetctl: a service binary on a
// free loopback port (--listen=127.0.0.1:0, the port read from its
// "listening on" line) over a store file the test chooses, and one run of
// the budgetctl binary with its exit code and output.
//
// ServiceProcess owns its child and kills it on destruction. Not
// thread-safe.
#ifndef TESTS_CLI_PROCESSES_H_
#define TESTS_CLI_PROCESSES_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace cli_test {

class ServiceProcess {
 public:
  // Starts `binary` on `store_path`; address() is empty when it did not
  // come up (the test has then failed with ADD_FAILURE).
  ServiceProcess(const std::string& binary, const std::string& store_path);
  ~ServiceProcess();

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  const std::string& address() const { return address_; }
  // SIGTERM, then waits; the address stays known (and now refuses).
  void Stop();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
};

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
