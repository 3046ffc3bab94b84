#include "budgetctl/command.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "budget/cycle/stage.h"
#include "budgetctl/exit_code.h"

namespace budgetctl {

int CommandContext::UsageError(absl::string_view problem) const {
  err << "budgetctl " << command.name << ": " << problem
      << "\n  usage: budgetctl " << command.name << " " << command.usage
      << "\n  next: correct the command line (budgetctl help lists every "
         "command)\n";
  return kExitUsage;
}

absl::StatusOr<NodeYear> GetNodeYear(const Args& args) {
  NodeYear node_year;
  node_year.node_code = args.Get("unit", "");
  if (node_year.node_code.empty()) {
    return absl::InvalidArgumentError("--unit CODE is required");
  }
  absl::StatusOr<int> year = args.GetInt("year", /*required=*/true);
  if (!year.ok()) return year.status();
  node_year.fiscal_year = *year;
  absl::StatusOr<int> min_revision = args.GetInt("min-revision", false);
  if (!min_revision.ok()) return min_revision.status();
  node_year.read.set_min_revision(*min_revision);
  if (args.Has("stage")) {
    absl::StatusOr<budget::v1::BudgetStage> stage =
        budget::ParseStageName(args.Get("stage", ""));
    if (!stage.ok()) return stage.status();
    node_year.read.set_stage(*stage);
  }
  if (args.Has("as-of")) {
    // A consolidated revision, or an RFC 3339 time.
    const std::string as_of = args.Get("as-of", "");
    int64_t revision = 0;
    absl::Time time;
    std::string error;
    if (absl::SimpleAtoi(as_of, &revision) && revision > 0) {
      node_year.read.set_as_of_revision(revision);
    } else if (absl::ParseTime(absl::RFC3339_full, as_of, &time, &error)) {
      const int64_t seconds = absl::ToUnixSeconds(time);  // Floored.
      node_year.read.mutable_as_of_time()->set_seconds(seconds);
      node_year.read.mutable_as_of_time()->set_nanos(static_cast<int32_t>(
          absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--as-of must be a consolidated revision (1, 2, ...) or an RFC "
          "3339 time (2024-03-01T00:00:00+08:00), not \"",
          as_of, "\""));
    }
  }
  return node_year;
}

std::string StageText(budget::v1::BudgetStage stage) {
  if (stage == budget::v1::BUDGET_STAGE_UNSPECIFIED) return "outside the cycle";
  return absl::StrCat(budget::StageLabel(stage), " ", budget::StageName(stage));
}

absl::StatusOr<std::string> GetFormat(const Args& args,
                                      const std::vector<std::string>& allowed) {
  std::string format = args.Get("format", allowed.front());
  if (std::find(allowed.begin(), allowed.end(), format) == allowed.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format must be ", absl::StrJoin(allowed, " or "), ", not ", format));
  }
  return format;
}

}  // namespace budgetctl
