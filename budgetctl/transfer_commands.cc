// `budgetctl export` and `budgetctl import`: a whole year of a subtree as
// one file (export_file.h), and back into a store through the ingest
// service, so that the tables of the importing store match.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/budget_file/source_map.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/export_contents.h"
#include "budgetctl/export_file.h"
#include "budgetctl/located_violation.h"
#include "budgetctl/progress_bar.h"
#include "budgetctl/submission.h"
#include "budgetctl/units_registration.h"

namespace budgetctl {
namespace {

bool StderrIsTerminal() { return isatty(fileno(stderr)) == 1; }

int Export(const CommandContext& context) {
  if (context.args.positional().size() != 1) {
    return context.UsageError("name the output FILE");
  }
  absl::StatusOr<NodeYear> node_year = GetNodeYear(context.args);
  if (!node_year.ok()) return context.UsageError(node_year.status().message());
  const std::string& path = context.args.positional()[0];
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    context.err << "budgetctl: cannot create " << path
                << "\n  next: check that its directory exists and is "
                   "writable\n";
    return kExitRejected;
  }

  budget::v1::ExportBudgetRequest request;
  request.set_node_code(node_year->node_code);
  request.set_fiscal_year(node_year->fiscal_year);
  *request.mutable_read() = node_year->read;
  grpc::ClientContext call;
  call.set_deadline(absl::ToChronoTime(
      absl::Now() + context.services.options().deadline * 10));
  context.services.options().credentials.Attach(call);
  auto stream = context.services.query().ExportBudget(&call, request);
  ProgressBar progress(stderr, StderrIsTerminal(), "exporting records", 0);
  budget::v1::ExportRecord record;
  int64_t records = 0;
  bool trailer_seen = false;
  budget::v1::ExportTrailer trailer;
  while (stream->Read(&record)) {
    if (absl::Status written = WriteExportRecord(record, out); !written.ok()) {
      call.TryCancel();
      context.err << "budgetctl: " << written.message() << "\n";
      return kExitRejected;
    }
    progress.Update(++records);
    if (record.has_trailer()) {
      trailer = record.trailer();
      trailer_seen = true;
    }
  }
  progress.Finish();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    return ReportFailure(status, "export",
                         context.services.options().query_address, context.err);
  }
  if (!trailer_seen) {
    context.err << "budgetctl: the export stream ended without its trailer"
                << "\n  next: export again; the file is incomplete\n";
    return kExitUnreachable;
  }
  context.out << "exported " << trailer.unit_count() << " unit(s) and "
              << trailer.budget_count() << " budget(s) of "
              << node_year->node_code << " " << node_year->fiscal_year
              << " (consolidated revision " << trailer.revision() << ") to "
              << path << "\n";
  return kExitOk;
}

// Prints the refusal of one budget of `path`, located in the file.
void PrintBudgetRefusal(const grpc::Status& status, const std::string& path,
                        const std::string& unit_code, std::ostream& err) {
  if (std::optional<budget::v1::ValidationReport> report =
          RejectionReport(status)) {
    for (const LocatedViolation& v : LocateViolations(
             *report, budget::SourceMap(absl::StrCat(path, " (budget of ",
                                                     unit_code, ")")))) {
      err << FormatViolation(v) << "\n";
    }
  }
}

// Names each budget of `replayed` (with the revision it was stored as)
// that is no longer its unit's latest: the store moved on since the
// export, so its tables do not show the file's figures. A warning: the
// import stored what it had to; exit 0.
int ReportReplaysNotLatest(
    const std::vector<std::pair<const budget::v1::UnitBudget*, int64_t>>&
        replayed,
    const CommandContext& context) {
  for (const auto& [budget, revision] : replayed) {
    budget::v1::GetSubmissionRequest request;
    request.set_unit_code(budget->unit_code());
    request.set_fiscal_year(budget->fiscal_year());
    budget::v1::Submission latest;
    grpc::Status status =
        context.services.Call([&](grpc::ClientContext& client) {
          return context.services.ingest().GetSubmission(&client, request,
                                                         &latest);
        });
    if (!status.ok()) {
      return ReportFailure(
          status,
          absl::StrCat("reading the latest budget of ", budget->unit_code()),
          context.services.options().ingest_address, context.err);
    }
    if (latest.revision() != revision) {
      context.err << "budgetctl: " << budget->unit_code() << " "
                  << budget->fiscal_year() << ": the file's budget is revision "
                  << revision << ", stored before; the latest is revision "
                  << latest.revision()
                  << ", so the tables do not show the file's figures\n"
                  << "  next: see budgetctl history " << budget->unit_code()
                  << " " << budget->fiscal_year()
                  << "; the store keeps its later revision\n";
    }
  }
  return kExitOk;
}

// Replays an export file as a whole or not at all: the file is read and
// checked (shape, counts, totals) before anything is sent, every budget is
// checked by the service (validate_only) once the units are registered, and
// only then are the budgets stored, one at a time (an interruption then
// leaves part stored; importing again stores the rest, none twice).
int Import(const CommandContext& context) {
  if (context.args.positional().size() != 1) {
    return context.UsageError("name the export FILE to import");
  }
  const std::string& path = context.args.positional()[0];
  std::ifstream in(path, std::ios::binary);
  std::error_code size_error;
  int64_t size = std::filesystem::file_size(path, size_error);
  if (!in || size_error) {
    context.err << "budgetctl: cannot read " << path
                << "\n  next: check the path (budgetctl export writes it)\n";
    return kExitRejected;
  }
  ExportReader reader(&in);
  absl::StatusOr<ExportContents> contents;
  {
    ProgressBar progress(stderr, StderrIsTerminal(), "reading", size);
    contents = ReadExportContents(
        reader, [&](int64_t bytes) { progress.Update(bytes); });
    progress.Finish();
  }
  absl::Status checked =
      contents.ok() ? CheckExportTotals(*contents) : contents.status();
  if (!checked.ok()) {
    context.err << "budgetctl: " << path << ": " << checked.message()
                << "\n  nothing was sent; next: export the year again\n";
    return kExitRejected;
  }
  std::ostringstream registration_log;
  // A department exported from under its region: the region is the
  // exporting store's. Where it is not registered, the department is
  // registered at the top, as its own tables need nothing above it.
  if (!contents->units.empty() &&
      !contents->units.front().parent_code().empty()) {
    budget::v1::Unit& root = contents->units.front();
    budget::v1::ListUnitsRequest request;
    request.set_root_code(root.parent_code());
    budget::v1::ListUnitsResponse parent;
    grpc::Status listed = context.services.Call([&](grpc::ClientContext& call) {
      return context.services.ingest().ListUnits(&call, request, &parent);
    });
    if (listed.error_code() == grpc::StatusCode::NOT_FOUND) {
      context.err << "budgetctl: " << root.code() << "'s parent "
                  << root.parent_code()
                  << " is not registered here: " << root.code()
                  << " is registered at the top (register "
                  << root.parent_code()
                  << " first and import again into an empty store to place it "
                     "below)\n";
      root.clear_parent_code();
    } else if (!listed.ok()) {
      return ReportFailure(listed, "reading the registry",
                           context.services.options().ingest_address,
                           context.err);
    }
  }
  if (!contents->units.empty()) {
    int code = RegisterUnits(contents->units, context.services,
                             registration_log, context.err);
    if (code != kExitOk) return code;
  }
  SubmitOptions options;
  options.submitted_by = absl::StrCat("budgetctl import ", path);
  // 一上 and 二上 stay proposals and submissions; approved (or adjusted)
  // budgets arrive outside the cycle, which reads as approved.
  auto submit = [&](const budget::v1::ExportRecord& record, bool validate_only,
                    budget::v1::SubmitBudgetResponse* response) {
    options.stage =
        record.stage() == budget::v1::BUDGET_STAGE_PROPOSAL ||
                record.stage() == budget::v1::BUDGET_STAGE_SUBMISSION
            ? record.stage()
            : budget::v1::BUDGET_STAGE_UNSPECIFIED;
    options.validate_only = validate_only;
    return SubmitBudget(context.services, record.budget(), options, response);
  };
  // Every budget checked first, every refusal reported: none is stored
  // unless all would be.
  int refused = 0;
  grpc::Status first_refusal;
  for (const budget::v1::ExportRecord& record : contents->budgets) {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status = submit(record, /*validate_only=*/true, &response);
    if (status.ok()) continue;
    if (++refused == 1) first_refusal = status;
    PrintBudgetRefusal(status, path, record.budget().unit_code(), context.err);
  }
  if (refused > 0) {
    context.err << "budgetctl: " << refused << " of "
                << contents->budgets.size() << " budget(s) of " << path
                << " would be refused; none was stored (the units are "
                   "registered)\n";
    return ReportFailure(first_refusal, "checking the budgets",
                         context.services.options().ingest_address,
                         context.err);
  }
  ProgressBar progress(stderr, StderrIsTerminal(), "importing",
                       static_cast<int64_t>(contents->budgets.size()));
  int64_t budgets = 0;
  int64_t last_revision = 0;  // Reads naming it see every imported budget.
  // Budgets stored before (an import run again, or one the store holds
  // already), by unit and the revision the file's budget is there.
  std::vector<std::pair<const budget::v1::UnitBudget*, int64_t>> replayed;
  for (const budget::v1::ExportRecord& record : contents->budgets) {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status = submit(record, /*validate_only=*/false, &response);
    if (status.ok() && response.replayed()) {
      replayed.emplace_back(&record.budget(), response.revision());
    }
    if (!status.ok()) {
      progress.Finish();
      PrintBudgetRefusal(status, path, record.budget().unit_code(),
                         context.err);
      context.err << "budgetctl: " << budgets << " of "
                  << contents->budgets.size()
                  << " budget(s) were stored before this failure; importing "
                     "the file again stores the rest (each stored one is "
                     "recognised and not stored twice)\n";
      return ReportFailure(
          status,
          absl::StrCat("importing the budget of ", record.budget().unit_code()),
          context.services.options().ingest_address, context.err);
    }
    progress.Update(++budgets);
    last_revision = std::max(last_revision, response.consolidated_revision());
  }
  progress.Finish();
  context.out << registration_log.str() << "imported " << budgets
              << " budget(s) from " << path << " (consolidated revision "
              << last_revision << ")";
  if (!replayed.empty()) {
    context.out << ": " << budgets - static_cast<int64_t>(replayed.size())
                << " stored now, " << replayed.size() << " stored before";
  }
  context.out << "\n";
  return ReportReplaysNotLatest(replayed, context);
}

}  // namespace

std::vector<Command> TransferCommands() {
  return {{"export",
           "FILE --unit CODE --year YYYY [--min-revision N] [--stage S] "
           "[--as-of REVISION|RFC3339-TIME]",
           "write every unit and budget of a subtree and year to FILE "
           "(length-delimited budget.v1.ExportRecord)",
           {{"unit", "year", "min-revision", "stage", "as-of"}, {}},
           Export},
          {"import",
           "FILE",
           "register the units and submit the budgets of an export file",
           {},
           Import}};
}

}  // namespace budgetctl
