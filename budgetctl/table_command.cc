// `budgetctl table T01..T13`: one disclosure table as text, CSV or JSON.
#include <string>
#include <vector>

#include "budget/cycle/stage.h"
#include "budget/tables/render_csv.h"
#include "budget/tables/render_text.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/json_output.h"

namespace budgetctl {
namespace {

int Table(const CommandContext& context) {
  if (context.args.positional().size() != 1) {
    return context.UsageError("name one table, T01 to T13");
  }
  absl::StatusOr<NodeYear> node_year = GetNodeYear(context.args);
  if (!node_year.ok()) return context.UsageError(node_year.status().message());
  absl::StatusOr<std::string> format =
      GetFormat(context.args, {"text", "csv", "json"});
  if (!format.ok()) return context.UsageError(format.status().message());

  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code(node_year->node_code);
  request.set_fiscal_year(node_year->fiscal_year);
  *request.mutable_read() = node_year->read;
  request.set_table_id(context.args.positional()[0]);
  budget::v1::DisclosureTable table;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.query().GetDisclosureTable(&call, request, &table);
  });
  if (!status.ok()) {
    return ReportFailure(status, "table",
                         context.services.options().query_address, context.err);
  }
  if (*format == "csv") {
    context.out << budget::RenderCsv(table);
  } else if (*format == "json") {
    context.out << MessageJson(table, /*pretty=*/true);
  } else {
    // Which stage the figures are, unless the published (approved) ones.
    const budget::v1::BudgetStage stage =
        budget::ReadStage(request.read().stage());
    if (stage != budget::v1::BUDGET_STAGE_APPROVED) {
      context.out << "[" << StageText(stage) << ", consolidated revision "
                  << table.revision() << "]\n";
    }
    context.out << budget::RenderText(table);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> TableCommands() {
  return {{"table",
           "T01..T13 --unit CODE --year YYYY [--min-revision N] [--stage S] "
           "[--as-of REVISION|RFC3339-TIME] [--format text|csv|json]",
           "print a disclosure table (预算 01-13 表) of a department or unit",
           {{"unit", "year", "min-revision", "stage", "as-of", "format"}, {}},
           Table}};
}

}  // namespace budgetctl
