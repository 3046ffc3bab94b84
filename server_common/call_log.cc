#include "server_common/call_log.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "budget/utf8.h"

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

std::string CallLogToken(absl::string_view value) {
  constexpr size_t kMaxLoggedValueBytes = 64;
  // Every call logs its unit, most from the commit thread: a code of
  // printable ASCII that needs nothing written out is taken as it is.
  auto plain = [](char c) {
    return c > ' ' && c < 0x7F && c != '"' && c != '=' && c != '\\';
  };
  if (value.size() <= kMaxLoggedValueBytes &&
      std::all_of(value.begin(), value.end(), plain)) {
    return std::string(value);
  }
  std::string token;
  for (char c : budget::VisibleText(value)) {
    if (c == ' ' || c == '"' || c == '=') {
      absl::StrAppendFormat(&token, "\\u{%04X}", c);
    } else {
      token.push_back(c);
    }
  }
  if (token.size() <= kMaxLoggedValueBytes) return token;
  return absl::StrCat(
      token.substr(0, budget::Utf8PrefixLength(token, kMaxLoggedValueBytes)),
      "…(", value.size(), " bytes)");
}

CallLog::CallLog(absl::string_view method)
    : method_(method), start_(absl::Now()) {}

void CallLog::Write(const grpc::Status& status) const {
  std::string line = absl::StrCat("call method=", method_);
  if (!unit_.empty()) absl::StrAppend(&line, " unit=", CallLogToken(unit_));
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
