#include "budgetctl/exit_code.h"

#include "absl/strings/str_cat.h"

namespace budgetctl {

ExitCode ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNIMPLEMENTED:
      return kExitUnreachable;
    default:
      return kExitRejected;
  }
}

std::string NextStep(grpc::StatusCode code, absl::string_view address) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat("no service answers at ", address,
                          ", or it cannot serve now (an ingest standby, its "
                          "database away): start the services "
                          "(./deploy/local/run.sh) or point --ingest/--query "
                          "at them (writes at the active ingest service)");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("the service at ", address,
                          " did not answer in time: retry, or raise "
                          "--deadline");
    case grpc::StatusCode::UNIMPLEMENTED:
      return absl::StrCat("the service at ", address,
                          " does not offer this call: check that --ingest "
                          "names the ingest service and --query the query "
                          "service");
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "fix the values listed above and run the command again";
    case grpc::StatusCode::NOT_FOUND:
      return "check the unit code and year (budgetctl units list; "
             "budgetctl history UNIT YEAR)";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "it is stored already: list it (budgetctl units list, "
             "budgetctl history UNIT YEAR) instead of adding it again";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "give credentials the service accepts: --token or --token-file, "
             "or --cert and --key (README, \"Security\")";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "the credentials given do not allow this call on this node: "
             "use a principal whose role covers it (README, \"Security\")";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "the request is over one of the service's limits "
             "(docs/limits.md), or too many calls came at once: send less, "
             "or retry later";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "the year may be locked or not yet approved, or its internal "
             "transfers may disagree: see budgetctl history UNIT YEAR and "
             "budgetctl summary --unit NODE --year YEAR";
    default:
      return "see the service's log for the cause, then retry";
  }
}

}  // namespace budgetctl
