// Prints any reply as the proto JSON mapping, the `--format json` of every
// command and the line format of `watch`. Every field without presence is
// printed, zero and empty included, so that a reader that indexes a key
// (another agency's script) finds it; a oneof or optional field that is
// not set stays out (a blank table cell is `{}`, a zero one `"0"`).
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
