#include "tests/testing/service_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/testing/test_store.h"

namespace e2e_testing {

ServiceProcess::ServiceProcess(const std::string& binary,
                               const std::vector<std::string>& args) {
  Start(binary, args, std::nullopt);
}

ServiceProcess::ServiceProcess(const std::string& binary,
                               const std::vector<std::string>& args,
                               rlimit open_files) {
  Start(binary, args, open_files);
}

void ServiceProcess::Start(const std::string& binary,
                           const std::vector<std::string>& args,
                           const std::optional<rlimit>& open_files) {
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  std::vector<std::string> argv_strings = {binary, "--listen=127.0.0.1:0"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (open_files.has_value() && setrlimit(RLIMIT_NOFILE, &*open_files) != 0) {
      _exit(126);
    }
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  stdout_fd_ = fds[0];
  // The server prints one line once bound; reading blocks until then.
  std::string line = ReadLine();
  constexpr absl::string_view kPrefix = "listening on ";
  if (!absl::StartsWith(line, kPrefix)) {
    ADD_FAILURE() << binary << " did not start; printed \"" << line << "\"";
    return;
  }
  address_ = line.substr(kPrefix.size());
}

std::string ServiceProcess::ReadLine() {
  std::string line;
  char c;
  while (read(stdout_fd_, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::shared_ptr<grpc::Channel> ServiceProcess::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

int ServiceProcess::Stop(int signal) {
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  Forget();
  return status;
}

std::optional<int> ServiceProcess::WaitForExit(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(50));
  }
  Forget();
  return status;
}

void ServiceProcess::Forget() {
  pid_ = -1;
  close(stdout_fd_);
}

std::vector<std::string> StoreArgs(const std::string& path) {
  return StoreSpecArgs(StoreSpec(path));
}

std::vector<std::string> StoreSpecArgs(const std::string& spec) {
  return {"--store=" + spec, "--insecure", "--shutdown_grace=2s"};
}

}  // namespace e2e_testing
