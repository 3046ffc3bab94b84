// What `--help` of a service prints: its usage line and the flags defined
// by its own directory and by server_common (transport, principals,
// failure limits), which absl's default --help would leave out because the
// flags are not defined in a file named like the program.
//
// Call once from main, before absl::ParseCommandLine.
#ifndef SERVER_COMMON_SERVICE_USAGE_H_
#define SERVER_COMMON_SERVICE_USAGE_H_

#include "absl/strings/string_view.h"

namespace server_common {

// `directory` is the service's source directory, e.g. "query_service".
void SetServiceUsage(absl::string_view directory, absl::string_view usage);

}  // namespace server_common

#endif  // SERVER_COMMON_SERVICE_USAGE_H_
