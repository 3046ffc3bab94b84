#include "server_common/listener_guard.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/support/log.h"
#include "server_common/termination.h"

namespace server_common {
namespace {

// gRPC's line for a listener that stopped (src/core/lib/iomgr/
// tcp_server_posix.cc, gRPC 1.51), followed by strerror.
constexpr absl::string_view kListenerStopped = "Failed accept4";

// As gRPC's own writer prints, so that its lines read the same: severity,
// time, thread, file:line, message.
void WriteGrpcLog(gpr_log_func_args* args) {
  absl::string_view file = args->file == nullptr ? "" : args->file;
  if (size_t slash = file.rfind('/'); slash != absl::string_view::npos) {
    file.remove_prefix(slash + 1);
  }
  const std::string prefix = absl::StrFormat(
      "%s%s %7d %s:%d]", gpr_log_severity_string(args->severity),
      absl::FormatTime("%m%d %H:%M:%E6S", absl::Now(), absl::LocalTimeZone()),
      static_cast<int>(syscall(SYS_gettid)), file, args->line);
  absl::FPrintF(stderr, "%-70s %s\n", prefix, args->message);
}

void WatchGrpcLog(gpr_log_func_args* args) {
  WriteGrpcLog(args);
  // Called with gRPC's listener lock held: StopForFailure only records why
  // and raises SIGTERM for the main thread.
  if (args->severity == GPR_LOG_SEVERITY_ERROR &&
      absl::StartsWith(args->message, kListenerStopped)) {
    StopForFailure(absl::StrCat(
        "the listener stopped accepting connections (gRPC: ", args->message,
        "; docs/limits.md)"));
  }
}

}  // namespace

void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 ||
      limit.rlim_cur >= limit.rlim_max) {
    return;
  }
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

void StopWhenListenerFails() { gpr_set_log_function(WatchGrpcLog); }

}  // namespace server_common
