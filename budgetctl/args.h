// The command line of one budgetctl command: positional arguments and
// `--name value` / `--name=value` / `--switch` options, checked against the
// options the command declares so that a typo is a usage error, not a
// silently ignored flag.
//
// A plain value; thread-compatible.
#ifndef BUDGETCTL_ARGS_H_
#define BUDGETCTL_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace budgetctl {

// The options a command accepts: those taking a value and plain switches.
struct OptionSpec {
  std::set<std::string> with_value;
  std::set<std::string> switches;
};

class Args {
 public:
  // Parses `argv` (without the program and command names). INVALID_ARGUMENT
  // naming the offending option when it is not in `spec` or lacks a value.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& argv,
                                    const OptionSpec& spec);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(absl::string_view name) const;
  // The last value given for `name`, or `fallback`.
  std::string Get(absl::string_view name, absl::string_view fallback) const;
  // Every value given for a repeatable option, in order.
  std::vector<std::string> GetAll(absl::string_view name) const;
  // The value of `name` as a year or count; INVALID_ARGUMENT when it is
  // missing (and `required`) or not an integer.
  absl::StatusOr<int> GetInt(absl::string_view name, bool required) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
};

// `argv` (without the program name) with the options of `global` that come
// before the command name moved behind it, values and all, so that global
// options may be given anywhere: "--ingest=H:P table T05" and "--ingest
// H:P table T05" become "table T05 --ingest=H:P" / "table T05 --ingest
// H:P", as in git, kubectl and grpcurl. Anything else before the command
// (an unknown option) is left where it is, to be reported as such.
std::vector<std::string> CommandFirst(const std::vector<std::string>& argv,
                                      const OptionSpec& global);

}  // namespace budgetctl

#endif  // BUDGETCTL_ARGS_H_
