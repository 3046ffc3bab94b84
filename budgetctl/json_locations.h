// Where each value of a JSON budget file is: a small scanner of JSON text
// (RFC 8259) that records the line and column of every object member and
// array element under the field path protobuf and the validator use
// (`expenditures[3].amount_fen`: lowerCamelCase member names are turned
// back into the proto's snake_case names). Protobuf's JSON parser reports
// only such a path for a bad value, and nothing at all for a syntax error;
// this puts both at file:line:column.
//
// Built once, then read-only; safe to share for reading.
#ifndef BUDGETCTL_JSON_LOCATIONS_H_
#define BUDGETCTL_JSON_LOCATIONS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/source_map.h"

namespace budgetctl {

// A place in a text file; both 1-based, the column in bytes. 0: unknown.
struct TextPlace {
  int line = 0;
  int column = 0;
};

class JsonLocations {
 public:
  // Scans `text`. On a syntax error, records where scanning stopped and
  // why (syntax_error()); the values before it stay located.
  explicit JsonLocations(absl::string_view text);

  // Where the value of `field_path` starts, or else its nearest recorded
  // ancestor's (`a[2].b`, then `a[2]`, then `a`); unknown when none is.
  TextPlace Find(absl::string_view field_path) const;

  // The first syntax error: what was expected and where; empty when the
  // text is well-formed JSON. A member naming a field an earlier member of
  // its object named (in either spelling) also stops the scan here, with
  // duplicate_member() set: protobuf would keep the last silently.
  const std::string& syntax_error() const { return syntax_error_; }
  bool duplicate_member() const { return duplicate_; }
  TextPlace syntax_error_place() const { return syntax_error_place_; }

  // A SourceMap of `file_name` with the line of every located path, for
  // the validator's findings.
  budget::SourceMap ToSourceMap(absl::string_view file_name) const;

 private:
  class Scanner;

  absl::flat_hash_map<std::string, TextPlace> places_;
  std::string syntax_error_;
  TextPlace syntax_error_place_;
  bool duplicate_ = false;
};

}  // namespace budgetctl

#endif  // BUDGETCTL_JSON_LOCATIONS_H_
