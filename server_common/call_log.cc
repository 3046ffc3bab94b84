#include "server_common/call_log.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace server_common {
namespace {

// gRPC's canonical code names, as grpcurl prints them.
constexpr const char* kCodeNames[] = {"OK",
                                      "CANCELLED",
                                      "UNKNOWN",
                                      "INVALID_ARGUMENT",
                                      "DEADLINE_EXCEEDED",
                                      "NOT_FOUND",
                                      "ALREADY_EXISTS",
                                      "PERMISSION_DENIED",
                                      "RESOURCE_EXHAUSTED",
                                      "FAILED_PRECONDITION",
                                      "ABORTED",
                                      "OUT_OF_RANGE",
                                      "UNIMPLEMENTED",
                                      "INTERNAL",
                                      "UNAVAILABLE",
                                      "DATA_LOSS",
                                      "UNAUTHENTICATED"};

}  // namespace

std::string CodeName(grpc::StatusCode code) {
  int index = static_cast<int>(code);
  if (index >= 0 && index < static_cast<int>(std::size(kCodeNames))) {
    return kCodeNames[index];
  }
  return absl::StrCat(index);
}

CallLog::CallLog(absl::string_view method)
    : method_(method), start_(absl::Now()) {}

void CallLog::Write(const grpc::Status& status) const {
  std::string line = absl::StrCat("call method=", method_);
  if (!unit_.empty()) absl::StrAppend(&line, " unit=", unit_);
  if (year_ != 0) absl::StrAppend(&line, " year=", year_);
  absl::StrAppend(
      &line, " status=", CodeName(status.error_code()),
      " latency_us=", absl::ToInt64Microseconds(absl::Now() - start_), "\n");
  absl::FPrintF(stderr, "%s", line);
}

grpc::Status Logged(const CallLog& log, grpc::Status status) {
  log.Write(status);
  return status;
}

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const CallLog& log,
                                      const grpc::Status& status) {
  log.Write(status);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace server_common
