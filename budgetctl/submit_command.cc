// `budgetctl submit FILE...`: validates and stores budget files, placing
// every finding on the file and line it comes from.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "budget/cycle/stage.h"
#include "budgetctl/budget_input.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/located_violation.h"
#include "budgetctl/submission.h"

namespace budgetctl {
namespace {

// The outcome of one file: its findings and its exit code.
struct FileOutcome {
  std::vector<LocatedViolation> findings;
  int exit_code = kExitOk;
};

// Replaces `report`, when it lists only the first findings, by the whole
// report. On failure the first findings stay, with a note on stderr.
void CompleteReport(const CommandContext& context, const BudgetInput& input,
                    const SubmitOptions& options,
                    budget::v1::ValidationReport& report) {
  if (report.omitted().empty()) return;
  budget::v1::ValidationReport full;
  grpc::Status status =
      FetchFullReport(context.services, input.budget, options.strict, &full);
  if (status.ok()) {
    report = std::move(full);
  } else {
    context.err << "budgetctl: only the first " << report.violations_size()
                << " findings are listed: fetching the others failed: "
                << status.error_message() << "\n";
  }
  // Beyond what even the whole report lists (docs/limits.md).
  for (const budget::v1::OmittedFindings& omitted : report.omitted()) {
    context.err << "budgetctl: " << omitted.count() << " more "
                << omitted.rule_id() << " finding(s) not listed\n";
  }
}

FileOutcome SubmitFile(const CommandContext& context, const std::string& path,
                       const SubmitOptions& options) {
  FileOutcome outcome;
  absl::StatusOr<BudgetInput> input = ReadBudgetInput(path);
  if (!input.ok()) {
    context.err << "budgetctl: " << input.status().message() << "\n";
    outcome.exit_code = kExitRejected;
    return outcome;
  }
  if (!input->errors.empty()) {
    outcome.findings = input->errors;
    outcome.exit_code = kExitRejected;
    return outcome;
  }
  budget::v1::SubmitBudgetResponse response;
  grpc::Status status =
      SubmitBudget(context.services, input->budget, options, &response);
  if (status.ok()) {
    budget::v1::ValidationReport warnings;
    *warnings.mutable_violations() = response.warnings();
    *warnings.mutable_omitted() = response.omitted_warnings();
    CompleteReport(context, *input, options, warnings);
    outcome.findings = LocateViolations(warnings, input->source_map);
    if (options.validate_only) {
      context.out << path << ": valid (dry run, nothing stored)\n";
    } else {
      context.out << path << ": accepted as revision " << response.revision()
                  << " of " << input->budget.unit_code() << " "
                  << input->budget.fiscal_year() << " (consolidated revision "
                  << response.consolidated_revision()
                  << (response.replayed() ? ", already stored before" : "")
                  << ")\n";
    }
    return outcome;
  }
  if (std::optional<budget::v1::ValidationReport> report =
          RejectionReport(status)) {
    CompleteReport(context, *input, options, *report);
    outcome.findings = LocateViolations(*report, input->source_map);
    context.err << path << ": rejected, " << status.error_message() << "\n";
    outcome.exit_code = kExitRejected;
    return outcome;
  }
  outcome.exit_code =
      ReportFailure(status, "submitting " + path,
                    context.services.options().ingest_address, context.err);
  return outcome;
}

int Submit(const CommandContext& context) {
  const std::vector<std::string>& files = context.args.positional();
  if (files.empty()) return context.UsageError("name at least one FILE");
  SubmitOptions options;
  options.validate_only = context.args.Has("dry-run");
  options.strict = context.args.Has("strict");
  options.make_latest = true;
  if (context.args.Has("stage")) {
    absl::StatusOr<budget::v1::BudgetStage> stage =
        budget::ParseStageName(context.args.Get("stage", ""));
    if (!stage.ok()) return context.UsageError(stage.status().message());
    options.stage = *stage;
  }
  const char* user = std::getenv("USER");
  options.submitted_by =
      context.args.Get("submitted-by", user != nullptr ? user : "budgetctl");

  std::vector<LocatedViolation> all_findings;
  int exit_code = kExitOk;
  for (const std::string& path : files) {
    FileOutcome outcome = SubmitFile(context, path, options);
    for (const LocatedViolation& finding : outcome.findings) {
      (finding.severity == "fatal" ? context.err : context.out)
          << FormatViolation(finding) << "\n";
    }
    all_findings.insert(all_findings.end(), outcome.findings.begin(),
                        outcome.findings.end());
    exit_code = std::max(exit_code, outcome.exit_code);
    if (outcome.exit_code == kExitUnreachable) break;  // The rest would too.
  }
  if (context.args.Has("errors-csv")) {
    std::string csv_path = context.args.Get("errors-csv", "");
    std::ofstream csv(csv_path, std::ios::binary | std::ios::trunc);
    csv << ViolationsCsv(all_findings);
    if (!csv) {
      context.err << "budgetctl: could not write " << csv_path
                  << "\n  next: check that its directory exists and is "
                     "writable\n";
      return std::max<int>(exit_code, kExitRejected);
    }
  }
  // A refusal without findings (a locked year) said its own next step.
  if (exit_code == kExitRejected &&
      absl::c_any_of(all_findings, [](const LocatedViolation& finding) {
        return finding.severity == "fatal";
      })) {
    context.err << "  next: fix the values at the lines listed above and "
                   "submit again\n";
  }
  return exit_code;
}

}  // namespace

std::vector<Command> SubmitCommands() {
  return {{"submit",
           "FILE... [--stage proposal|submission] [--dry-run] [--strict] "
           "[--errors-csv OUT.csv] [--submitted-by NAME]",
           "validate and store budgets (.budget text or .json), as 一上 "
           "proposals or 二上 submissions with --stage; --dry-run stores "
           "nothing",
           {{"errors-csv", "submitted-by", "stage"}, {"dry-run", "strict"}},
           Submit}};
}

}  // namespace budgetctl
