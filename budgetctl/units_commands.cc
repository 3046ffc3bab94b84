// `budgetctl units add|list|import`: the unit registry.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/budget_file/enum_text.h"
#include "budget/budget_file/units_file.h"
#include "budgetctl/budget_input.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/located_violation.h"
#include "budgetctl/units_registration.h"

namespace budgetctl {
namespace {

using budget::v1::Unit;

int ListUnits(const CommandContext& context) {
  budget::v1::ListUnitsRequest request;
  request.set_root_code(context.args.Get("root", ""));
  budget::v1::ListUnitsResponse response;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.ingest().ListUnits(&call, request, &response);
  });
  if (!status.ok()) {
    return ReportFailure(status, "units list",
                         context.services.options().ingest_address,
                         context.err);
  }
  std::vector<Unit> units(response.units().begin(), response.units().end());
  context.out << budget::FormatUnitsFile(units);
  return kExitOk;
}

int AddUnit(const CommandContext& context) {
  const std::vector<std::string>& positional = context.args.positional();
  if (positional.size() != 3) {
    return context.UsageError("units add needs CODE and NAME");
  }
  Unit unit;
  unit.set_code(positional[1]);
  unit.set_name(positional[2]);
  unit.set_parent_code(context.args.Get("parent", ""));
  const budget::EnumText& kinds =
      budget::EnumTextFor(budget::v1::UnitKind_descriptor());
  std::optional<int> kind = kinds.Parse(context.args.Get("kind", ""));
  if (!kind.has_value() || *kind == 0) {
    return context.UsageError(
        absl::StrCat("--kind must be one of ", kinds.expected()));
  }
  unit.set_kind(static_cast<budget::v1::UnitKind>(*kind));
  return RegisterUnits({unit}, context.services, context.out, context.err);
}

int ImportUnits(const CommandContext& context) {
  const std::vector<std::string>& positional = context.args.positional();
  if (positional.size() != 2) {
    return context.UsageError("units import needs one FILE");
  }
  absl::StatusOr<std::string> text = ReadFile(positional[1]);
  if (!text.ok()) {
    context.err << "budgetctl: " << text.status().message() << "\n";
    return kExitRejected;
  }
  std::vector<int> lines;
  budget::ParsedFile<std::vector<Unit>> parsed =
      budget::ParseUnitsFile(*text, positional[1], &lines);
  if (!parsed.ok()) {
    for (const LocatedViolation& error : FromFileErrors(parsed.errors)) {
      context.err << FormatViolation(error) << "\n";
    }
    context.err << "  next: fix the lines listed above and import again\n";
    return kExitRejected;
  }
  std::vector<std::string> origins;
  for (int line : lines)
    origins.push_back(absl::StrCat(positional[1], ":", line));
  return RegisterUnits(parsed.value, context.services, context.out, context.err,
                       origins);
}

int Units(const CommandContext& context) {
  const std::vector<std::string>& positional = context.args.positional();
  std::string verb = positional.empty() ? "" : positional[0];
  if (verb == "list") return ListUnits(context);
  if (verb == "add") return AddUnit(context);
  if (verb == "import") return ImportUnits(context);
  return context.UsageError("say add, list or import");
}

}  // namespace

std::vector<Command> UnitsCommands() {
  return {{"units",
           "add CODE NAME --kind KIND [--parent CODE] | list [--root CODE] | "
           "import FILE.units",
           "register units, list the registry, or register a .units file",
           {{"parent", "kind", "root"}, {}},
           Units}};
}

}  // namespace budgetctl
