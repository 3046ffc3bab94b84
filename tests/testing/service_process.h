// Runs a server binary of the project for end-to-end tests (ingest_service,
// query_service): on a free loopback port (--listen=127.0.0.1:0, the port
// read from the "listening on" line) with the arguments the test gives.
// INGEST_SERVICE_BINARY and QUERY_SERVICE_BINARY name the binaries.
//
// Owns the child process; the destructor kills it. Not thread-safe.
#ifndef TESTS_TESTING_SERVICE_PROCESS_H_
#define TESTS_TESTING_SERVICE_PROCESS_H_

#include <sys/resource.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace e2e_testing {

class ServiceProcess {
 public:
  // Starts `binary` with `args` and waits until it listens; fails the test
  // (ADD_FAILURE, empty address) when it does not.
  ServiceProcess(const std::string& binary,
                 const std::vector<std::string>& args);
  // The same with the child's RLIMIT_NOFILE set to `open_files`.
  ServiceProcess(const std::string& binary,
                 const std::vector<std::string>& args, rlimit open_files);
  ~ServiceProcess();

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  const std::string& address() const { return address_; }
  // The child's process id, e.g. to read /proc/<pid>/status.
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> Channel() const;
  // The next line the child prints on stdout after "listening on" (e.g.
  // "metrics listening on HOST:PORT"), without its newline; blocks until
  // it comes, "" once stdout is closed.
  std::string ReadLine();

  // Sends `signal` and returns the exit status as waitpid reports it.
  int Stop(int signal);
  // The exit status as waitpid reports it, once the child exits by
  // itself within `timeout`; nullopt while it still runs.
  std::optional<int> WaitForExit(absl::Duration timeout);

 private:
  void Start(const std::string& binary, const std::vector<std::string>& args,
             const std::optional<rlimit>& open_files);
  // After the child exited (its status reaped).
  void Forget();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
};

// The arguments that run either service on the store at `path` (SQLite, or
// PostgreSQL with BUDGET_TEST_STORE=postgresql: StoreSpec in test_store.h),
// plaintext on loopback without principals (--insecure: every caller is the
// local operator, auth/README.md), with a shutdown grace short enough for
// tests.
std::vector<std::string> StoreArgs(const std::string& path);

// The same on the store `spec` names exactly (sqlite:PATH or a PostgreSQL
// URI), whatever BUDGET_TEST_STORE says.
std::vector<std::string> StoreSpecArgs(const std::string& spec);

}  // namespace e2e_testing

#endif  // TESTS_TESTING_SERVICE_PROCESS_H_
