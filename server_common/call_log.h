// One structured line per RPC on stderr, as key=value pairs:
//   call method=SubmitBudget unit=021001 year=2024 status=OK latency_us=812
// Created when a call starts, written once when it ends. The unit is the
// caller's value, written as one token (CallLogToken).
//
// Each instance belongs to one call; writing is thread-safe (one fprintf).
#ifndef SERVER_COMMON_CALL_LOG_H_
#define SERVER_COMMON_CALL_LOG_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace server_common {

// gRPC's canonical name of `code`, as grpcurl prints it: "NOT_FOUND".
std::string CodeName(grpc::StatusCode code);

// A caller's value as one token of a log line: characters a reader cannot
// see written out (budget::VisibleText), and the space, quote and equals
// sign too, so that no value can end the line or forge a key; clipped to
// 64 bytes (codes are far shorter), so that a long value costs the log
// little.
std::string CallLogToken(absl::string_view value);

class CallLog {
 public:
  explicit CallLog(absl::string_view method);

  // What the call was about; left out of the line when not set.
  void set_unit(absl::string_view unit) { unit_ = std::string(unit); }
  void set_year(int32_t year) { year_ = year; }

  // Writes the line.
  void Write(const grpc::Status& status) const;

 private:
  std::string method_;
  std::string unit_;
  int32_t year_ = 0;
  absl::Time start_;
};

// Writes `log`'s line and returns `status`: for handlers that return their
// status to a caller that finishes the call (unary_bytes.h).
grpc::Status Logged(const CallLog& log, grpc::Status status);

// Writes `log`'s line and finishes a unary callback call with `status`.
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const CallLog& log,
                                      const grpc::Status& status);

}  // namespace server_common

#endif  // SERVER_COMMON_CALL_LOG_H_
