#include "server_common/termination.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "absl/base/const_init.h"
#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace server_common {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

ABSL_CONST_INIT absl::Mutex failure_mu(absl::kConstInit);
std::string* failure ABSL_GUARDED_BY(failure_mu) = nullptr;

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal(const std::function<void()>& on_hangup) {
  sigset_t set = TerminationSignals();
  while (true) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    if (signal != SIGHUP) return signal;
    if (on_hangup) on_hangup();
  }
}

void StopForFailure(std::string why) {
  {
    absl::MutexLock lock(&failure_mu);
    if (failure != nullptr) return;
    failure = new std::string(std::move(why));  // Kept until exit.
  }
  kill(getpid(), SIGTERM);
}

std::string StopReason(int signal) {
  absl::MutexLock lock(&failure_mu);
  return failure == nullptr ? absl::StrCat("signal ", signal) : *failure;
}

int StopExitCode() {
  absl::MutexLock lock(&failure_mu);
  return failure == nullptr ? 0 : 1;
}

}  // namespace server_common
