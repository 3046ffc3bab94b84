#include "budgetctl/publish_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "budget/publication/department_texts.h"
#include "budget/publication/fiscal_data_package.h"
#include "budget/publication/html_document.h"
#include "budget/publication/part_two.h"
#include "budget/publication/publication_data.h"
#include "budget/publication/xlsx_workbook.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/pdf_printer.h"

namespace budgetctl {
namespace {

// The summary compared with the prior year and tables 01-13, as served.
absl::StatusOr<budget::PublicationData> FetchTables(
    const CommandContext& context, const NodeYear& node_year, int* exit_code) {
  budget::PublicationData data;
  budget::v1::GetSummaryRequest summary_request;
  summary_request.set_node_code(node_year.node_code);
  summary_request.set_fiscal_year(node_year.fiscal_year);
  *summary_request.mutable_read() = node_year.read;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.query().GetSummary(&call, summary_request,
                                               &data.summary);
  });
  if (!status.ok()) {
    *exit_code =
        ReportFailure(status, "summary",
                      context.services.options().query_address, context.err);
    return absl::AbortedError("summary");
  }
  for (int i = 1; i <= 13; ++i) {
    const std::string id = absl::StrCat(i < 10 ? "0" : "", i);
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code(node_year.node_code);
    request.set_fiscal_year(node_year.fiscal_year);
    *request.mutable_read() = node_year.read;
    request.set_table_id(id);
    budget::v1::DisclosureTable& table = data.tables[id];
    status = context.services.Call([&](grpc::ClientContext& call) {
      return context.services.query().GetDisclosureTable(&call, request,
                                                         &table);
    });
    if (!status.ok()) {
      *exit_code =
          ReportFailure(status, absl::StrCat("table ", id),
                        context.services.options().query_address, context.err);
      return absl::AbortedError("table");
    }
  }
  return data;
}

// A reader whose tables show a masked cell is not cleared; the package
// masks exactly what the tables mask.
bool SeesEverything(const budget::PublicationData& data) {
  for (const auto& [id, table] : data.tables) {
    for (const budget::v1::TableRow& row : table.body_rows()) {
      for (const budget::v1::TableCell& cell : row.cells()) {
        if (cell.has_masked()) return false;
      }
    }
  }
  return true;
}

// The budget lines below the node, from the query service's export.
grpc::Status FetchLines(const CommandContext& context,
                        const NodeYear& node_year,
                        budget::FiscalDataInput* input) {
  budget::v1::ExportBudgetRequest request;
  request.set_node_code(node_year.node_code);
  request.set_fiscal_year(node_year.fiscal_year);
  *request.mutable_read() = node_year.read;
  grpc::ClientContext call;
  call.set_deadline(absl::ToChronoTime(
      absl::Now() + context.services.options().deadline * 10));
  context.services.options().credentials.Attach(call);
  auto stream = context.services.query().ExportBudget(&call, request);
  budget::v1::ExportRecord record;
  while (stream->Read(&record)) {
    if (record.has_unit()) input->units.push_back(record.unit());
    if (record.has_budget()) input->budgets.push_back(record.budget());
  }
  return stream->Finish();
}

int Publish(const CommandContext& context) {
  if (!context.args.positional().empty()) {
    return context.UsageError("publish takes no positional arguments");
  }
  absl::StatusOr<NodeYear> node_year = GetNodeYear(context.args);
  if (!node_year.ok()) return context.UsageError(node_year.status().message());
  const std::string out_dir = context.args.Get("out", "");
  if (out_dir.empty()) return context.UsageError("--out DIR is required");

  budget::DepartmentTexts texts;
  if (const std::string path = context.args.Get("texts", ""); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      context.err << "budgetctl: cannot read " << path << "\n";
      return kExitRejected;
    }
    std::ostringstream text;
    text << in.rdbuf();
    budget::ParsedFile<budget::DepartmentTexts> parsed =
        budget::ParseDepartmentTexts(text.str(), path);
    if (!parsed.ok()) {
      for (const budget::FileError& error : parsed.errors) {
        context.err << error.ToString() << "\n";
      }
      return kExitRejected;
    }
    texts = std::move(parsed.value);
  }

  int exit_code = kExitOk;
  absl::StatusOr<budget::PublicationData> data =
      FetchTables(context, *node_year, &exit_code);
  if (!data.ok()) return exit_code;
  absl::StatusOr<std::vector<budget::TextSection>> part_two =
      budget::BuildPartTwo(*data, texts);
  if (!part_two.ok()) {
    context.err << "budgetctl: " << part_two.status().message() << "\n";
    return kExitRejected;
  }

  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    context.err << "budgetctl: cannot create " << out_dir << ": "
                << error.message() << "\n";
    return kExitRejected;
  }
  const std::filesystem::path base =
      std::filesystem::path(out_dir) /
      absl::StrCat(node_year->node_code, "-", node_year->fiscal_year);
  const std::string html_path = base.string() + ".html";
  std::ofstream html(html_path, std::ios::binary | std::ios::trunc);
  html << budget::RenderHtmlDocument(*data, texts, *part_two);
  html.close();
  if (!html) {
    context.err << "budgetctl: cannot write " << html_path << "\n";
    return kExitRejected;
  }
  context.out << "wrote " << html_path << "\n";
  const std::string xlsx_path = base.string() + ".xlsx";
  if (absl::Status written = budget::WriteXlsxWorkbook(*data, xlsx_path);
      !written.ok()) {
    context.err << "budgetctl: " << written.message() << "\n";
    return kExitRejected;
  }
  context.out << "wrote " << xlsx_path << "\n";

  budget::FiscalDataInput lines;
  lines.node_code = node_year->node_code;
  lines.node_name = data->summary.node_name();
  lines.fiscal_year = node_year->fiscal_year;
  lines.cleared = SeesEverything(*data);
  grpc::Status status = FetchLines(context, *node_year, &lines);
  if (!status.ok()) {
    return ReportFailure(status, "export of the budget lines",
                         context.services.options().query_address, context.err);
  }
  const std::string package =
      (std::filesystem::path(out_dir) / "datapackage").string();
  if (absl::Status written = budget::WriteFiscalDataPackage(lines, package);
      !written.ok()) {
    context.err << "budgetctl: " << written.message() << "\n";
    return kExitRejected;
  }
  context.out << "wrote " << package << "/\n";

  context.out.flush();
  const std::string pdf_path = base.string() + ".pdf";
  if (absl::Status printed = PrintHtmlToPdf(html_path, pdf_path);
      !printed.ok()) {
    context.err << "budgetctl: no PDF: " << printed.message() << "\n";
    return kExitRejected;
  }
  context.out << "wrote " << pdf_path << "\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> PublishCommands() {
  return {{"publish",
           "--unit CODE --year YYYY --out DIR [--texts FILE] [--min-revision "
           "N]",
           "write the publication (HTML, XLSX, Fiscal Data Package) of a "
           "department or unit",
           {{"unit", "year", "min-revision", "out", "texts"}, {}},
           Publish}};
}

}  // namespace budgetctl
