#include "budgetctl/args.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace budgetctl {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& argv,
                                 const OptionSpec& spec) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (!absl::StartsWith(arg, "--") || arg == "--") {
      args.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_inline_value = true;
    }
    if (spec.switches.count(name)) {
      if (has_inline_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes no value"));
      }
      args.options_[name].push_back("true");
    } else if (spec.with_value.count(name)) {
      if (!has_inline_value) {
        if (i + 1 == argv.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("--", name, " needs a value"));
        }
        value = argv[++i];
      }
      args.options_[name].push_back(value);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name));
    }
  }
  return args;
}

std::vector<std::string> CommandFirst(const std::vector<std::string>& argv,
                                      const OptionSpec& global) {
  std::vector<std::string> leading;
  size_t i = 0;
  while (i < argv.size() && absl::StartsWith(argv[i], "--")) {
    std::string name = argv[i].substr(2);
    const bool has_inline_value = name.find('=') != std::string::npos;
    name = name.substr(0, name.find('='));
    if (global.switches.count(name) > 0 ||
        (global.with_value.count(name) > 0 && has_inline_value)) {
      leading.push_back(argv[i++]);
    } else if (global.with_value.count(name) > 0 && i + 1 < argv.size()) {
      leading.push_back(argv[i++]);
      leading.push_back(argv[i++]);
    } else {
      break;
    }
  }
  std::vector<std::string> reordered(argv.begin() + i, argv.end());
  reordered.insert(reordered.end(), leading.begin(), leading.end());
  return reordered;
}

bool Args::Has(absl::string_view name) const {
  return options_.find(name) != options_.end();
}

std::string Args::Get(absl::string_view name,
                      absl::string_view fallback) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::string(fallback) : it->second.back();
}

std::vector<std::string> Args::GetAll(absl::string_view name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<int> Args::GetInt(absl::string_view name, bool required) const {
  if (!Has(name)) {
    if (!required) return 0;
    return absl::InvalidArgumentError(absl::StrCat("--", name, " is required"));
  }
  int value = 0;
  std::string text = Get(name, "");
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be a whole number, not \"", text, "\""));
  }
  return value;
}

}  // namespace budgetctl
