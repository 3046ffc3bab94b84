#include "tests/ingest/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

namespace ingest_test {

ServerProcess::ServerProcess(const std::string& store_path) {
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string store = "--store=sqlite:" + store_path;
    execl(INGEST_SERVICE_BINARY, INGEST_SERVICE_BINARY, "--listen=127.0.0.1:0",
          store.c_str(), "--insecure", "--shutdown_grace=2s",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  stdout_fd_ = fds[0];
  // The server prints one line once bound; reading blocks until then.
  std::string line;
  char c;
  while (read(stdout_fd_, &c, 1) == 1 && c != '\n') line.push_back(c);
  constexpr absl::string_view kPrefix = "listening on ";
  if (!absl::StartsWith(line, kPrefix)) {
    ADD_FAILURE() << "server did not start; printed \"" << line << "\"";
    return;
  }
  address_ = line.substr(kPrefix.size());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::shared_ptr<grpc::Channel> ServerProcess::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

int ServerProcess::Stop(int signal) {
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  close(stdout_fd_);
  return status;
}

}  // namespace ingest_test
