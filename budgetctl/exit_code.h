// The exit codes of budgetctl and how a gRPC status maps onto them, with the
// advice every error message ends with: what to do next.
//
// Pure functions; thread-safe.
#ifndef BUDGETCTL_EXIT_CODE_H_
#define BUDGETCTL_EXIT_CODE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace budgetctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitRejected = 1,     // The service (or the parser) refused the input.
  kExitUsage = 2,        // The command line itself is wrong.
  kExitUnreachable = 3,  // No service answered, or not before the deadline.
};

// UNAVAILABLE, DEADLINE_EXCEEDED and UNIMPLEMENTED (a different service at
// that address) are the service's absence; everything else is an answer.
ExitCode ExitCodeFor(grpc::StatusCode code);

// One sentence telling the user how to get past `code`, naming `address`
// (the service called) where that helps.
std::string NextStep(grpc::StatusCode code, absl::string_view address);

}  // namespace budgetctl

#endif  // BUDGETCTL_EXIT_CODE_H_
