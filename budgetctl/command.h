// What a budgetctl command is: a name, its usage line, the options it
// takes, and the function that runs it. Each command family (units, submit,
// table, ...) lives in its own file and hands its commands to the
// dispatcher in main.cc.
//
// Plain values; thread-compatible.
#ifndef BUDGETCTL_COMMAND_H_
#define BUDGETCTL_COMMAND_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/query_service.pb.h"
#include "budgetctl/args.h"
#include "budgetctl/services.h"

namespace budgetctl {

struct Command;

// What a running command may use; borrowed from the dispatcher.
struct CommandContext {
  const Command& command;
  const Args& args;
  Services& services;
  std::ostream& out;
  std::ostream& err;

  // Prints `problem` and the command's usage line; returns kExitUsage.
  int UsageError(absl::string_view problem) const;
};

struct Command {
  std::string name;
  std::string usage;    // Arguments after the name, e.g. "FILE...".
  std::string summary;  // One line for `budgetctl help`.
  OptionSpec options;   // Besides the global ones (--ingest, --query, ...).
  std::function<int(const CommandContext&)> run;
};

// The node and year most reads name: --unit CODE --year YYYY, both
// required (INVALID_ARGUMENT saying which is missing), and
// --min-revision N, optional, fills the read's ReadOptions so that a read
// sees a submission whose consolidated revision is N; --stage
// proposal|submission|approved|adjusted, optional, the stage read.
struct NodeYear {
  std::string node_code;
  int fiscal_year = 0;
  budget::v1::ReadOptions read;
};
absl::StatusOr<NodeYear> GetNodeYear(const Args& args);

// How output names a stage: "一上 proposal", "二下 批复 approved";
// "outside the cycle" for UNSPECIFIED (a revision stored outside it).
std::string StageText(budget::v1::BudgetStage stage);

// The --format option: one of `allowed`, defaulting to the first.
absl::StatusOr<std::string> GetFormat(const Args& args,
                                      const std::vector<std::string>& allowed);

std::vector<Command> UnitsCommands();
std::vector<Command> SubmitCommands();
std::vector<Command> TableCommands();
std::vector<Command> AggregateCommands();
std::vector<Command> RevisionCommands();
std::vector<Command> TransferCommands();
std::vector<Command> CycleCommands();

}  // namespace budgetctl

#endif  // BUDGETCTL_COMMAND_H_
