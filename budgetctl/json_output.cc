#include "budgetctl/json_output.h"

#include "google/protobuf/util/json_util.h"

namespace budgetctl {

std::string MessageJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  std::string json;
  // Only malformed UTF-8 fails, which a message parsed off the wire cannot
  // hold; the output is then empty, never wrong.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok()) {
    json.clear();
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

}  // namespace budgetctl
