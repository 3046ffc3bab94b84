// Prints any reply as the proto JSON mapping, the `--format json` of every
// command and the line format of `watch`.
//
// Pure function; thread-safe.
#ifndef BUDGETCTL_JSON_OUTPUT_H_
#define BUDGETCTL_JSON_OUTPUT_H_

#include <string>

#include "google/protobuf/message.h"

namespace budgetctl {

// Indented over several lines when `pretty`, else one line (JSON lines).
std::string MessageJson(const google::protobuf::Message& message, bool pretty);

}  // namespace budgetctl

#endif  // BUDGETCTL_JSON_OUTPUT_H_
