// Runs the real ingest_service binary for end-to-end tests: on a free
// loopback port (--listen=127.0.0.1:0, the port read from the
// "listening on" line) and a store file the test chooses.
//
// Owns the child process; the destructor kills it. Not thread-safe.
#ifndef TESTS_INGEST_SERVER_PROCESS_H_
#define TESTS_INGEST_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace ingest_test {

class ServerProcess {
 public:
  // Starts the binary on `store_path` and waits until it listens; aborts
  // the test (via ADD_FAILURE and an empty address) when it does not.
  explicit ServerProcess(const std::string& store_path);
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel() const;

  // Sends `signal` and returns the exit status as waitpid reports it.
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
};

}  // namespace ingest_test

#endif  // TESTS_INGEST_SERVER_PROCESS_H_
