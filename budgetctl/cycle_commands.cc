// `budgetctl control issue|show`, `approve` and `adjust`: the budget cycle
// (docs/budget-cycle.md). Control figures and adjustments are read from
// files in the proto JSON mapping (docs/budget-file-format.md); every
// request id is derived from the file's content, so re-running a command
// replays the first answer instead of storing twice.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budgetctl/budget_input.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/json_locations.h"
#include "budgetctl/json_output.h"
#include "budgetctl/located_violation.h"
#include "budgetctl/request_id.h"
#include "budgetctl/services.h"
#include "google/protobuf/util/json_util.h"

namespace budgetctl {
namespace {

// A request id for `what` with this content: FNV-1a of its bytes.
std::string ContentId(absl::string_view what, absl::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  return absl::StrCat("budgetctl-", what, "-",
                      absl::Hex(hash, absl::kZeroPad16));
}

// An input file as read, kept to place the service's findings in it.
struct JsonFile {
  std::string path;
  std::string text;
};

// Parses `path` as `message` in the proto JSON mapping; prints the problem
// and returns nullopt when it cannot.
std::optional<JsonFile> ReadJsonFile(const CommandContext& context,
                                     const std::string& path,
                                     google::protobuf::Message* message) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    context.err << "budgetctl: " << text.status().message() << "\n";
    return std::nullopt;
  }
  auto parsed = google::protobuf::util::JsonStringToMessage(*text, message);
  if (!parsed.ok()) {
    context.err << "budgetctl: " << path << ": " << parsed.ToString()
                << "\n  next: see docs/budget-file-format.md, \"Control "
                   "figures and adjustments\"\n";
    return std::nullopt;
  }
  return JsonFile{path, *std::move(text)};
}

int Failed(const CommandContext& context, const grpc::Status& status,
           absl::string_view what) {
  return ReportFailure(status, what, context.services.options().ingest_address,
                       context.err);
}

// Like Failed, but a refusal carrying findings prints each of them at its
// place in `file`: the service names fields of the one record it was sent,
// which sits at `prefix` in the file ("figures[2]"; "" for the whole file).
int Refused(const CommandContext& context, const grpc::Status& status,
            absl::string_view what, const JsonFile& file,
            absl::string_view prefix) {
  std::optional<budget::v1::ValidationReport> report = RejectionReport(status);
  if (!report) return Failed(context, status, what);
  if (!prefix.empty()) {
    for (budget::v1::Violation& violation : *report->mutable_violations()) {
      violation.set_field_path(
          violation.field_path().empty()
              ? std::string(prefix)
              : absl::StrCat(prefix, ".", violation.field_path()));
    }
  }
  const budget::SourceMap places =
      JsonLocations(file.text).ToSourceMap(file.path);
  for (const LocatedViolation& finding : LocateViolations(*report, places)) {
    context.err << FormatViolation(finding) << "\n";
  }
  context.err << file.path << ": " << what << " refused, "
              << status.error_message()
              << "\n  next: fix the values listed above and run the command "
                 "again\n";
  return kExitRejected;
}

// After a replay of `request_id`: when a later issue replaced `figures`
// (A, then B, then A again), sets `id` to the one to issue them again
// under (ResendId); leaves it empty when what was replayed is in force.
grpc::Status ReissueId(const CommandContext& context,
                       const budget::v1::ControlFigures& figures,
                       const std::string& request_id,
                       std::optional<std::string>* id) {
  budget::v1::ListCycleRecordsRequest list;
  list.set_node_code(figures.unit_code());
  list.set_fiscal_year(figures.fiscal_year());
  budget::v1::ListCycleRecordsResponse records;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& c) {
    return context.services.ingest().ListCycleRecords(&c, list, &records);
  });
  if (!status.ok()) return status;
  const budget::v1::CycleRecord* latest = nullptr;
  for (const budget::v1::CycleRecord& record : records.records()) {
    if (record.has_control_figures() &&
        record.control_figures().unit_code() == figures.unit_code()) {
      latest = &record;  // Listed by consolidated revision.
    }
  }
  if (latest == nullptr || latest->request_id() == request_id) {
    return grpc::Status::OK;
  }
  budget::v1::ControlFigures stored = latest->control_figures();
  stored.clear_issued_by();
  stored.clear_issued_at();
  budget::v1::ControlFigures sent = figures;
  sent.clear_issued_by();
  sent.clear_issued_at();
  *id = ResendId(request_id, latest->request_id(),
                 stored.SerializeAsString() == sent.SerializeAsString(),
                 latest->consolidated_revision());
  return grpc::Status::OK;
}

int IssueControl(const CommandContext& context) {
  if (context.args.positional().size() != 2) {
    return context.UsageError("name one FILE");
  }
  budget::v1::ControlFiguresFile file;
  const std::optional<JsonFile> input =
      ReadJsonFile(context, context.args.positional()[1], &file);
  if (!input) return kExitUsage;
  for (int i = 0; i < file.figures_size(); ++i) {
    const budget::v1::ControlFigures& figures = file.figures(i);
    budget::v1::IssueControlFiguresRequest request;
    *request.mutable_figures() = figures;
    request.set_request_id(ContentId("control", figures.SerializeAsString()));
    budget::v1::IssueControlFiguresResponse response;
    auto issue = [&] {
      return context.services.Call([&](grpc::ClientContext& c) {
        return context.services.ingest().IssueControlFigures(&c, request,
                                                             &response);
      });
    };
    grpc::Status status = issue();
    std::optional<std::string> reissue;
    if (status.ok() && response.replayed()) {
      status = ReissueId(context, figures, request.request_id(), &reissue);
    }
    if (status.ok() && reissue.has_value()) {
      request.set_request_id(*std::move(reissue));
      response.Clear();
      status = issue();
    }
    if (!status.ok()) {
      return Refused(context, status,
                     absl::StrCat("control figures of ", figures.unit_code()),
                     *input, absl::StrCat("figures[", i, "]"));
    }
    context.out << "issued control figures of " << figures.unit_code() << " "
                << figures.fiscal_year() << " at consolidated revision "
                << response.consolidated_revision()
                << (response.replayed() ? " (already issued)" : "") << "\n";
  }
  return kExitOk;
}

int ShowControl(const CommandContext& context) {
  absl::StatusOr<NodeYear> node_year = GetNodeYear(context.args);
  if (!node_year.ok()) return context.UsageError(node_year.status().message());
  budget::v1::ListCycleRecordsRequest request;
  request.set_node_code(node_year->node_code);
  request.set_fiscal_year(node_year->fiscal_year);
  budget::v1::ListCycleRecordsResponse response;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& c) {
    return context.services.ingest().ListCycleRecords(&c, request, &response);
  });
  if (!status.ok()) return Failed(context, status, "control show");
  if (context.args.Get("format", "text") == "json") {
    context.out << MessageJson(response, /*pretty=*/true);
    return kExitOk;
  }
  for (const budget::v1::CycleRecord& record : response.records()) {
    if (record.has_control_figures()) {
      const budget::v1::ControlFigures& f = record.control_figures();
      context.out << "控制数 " << f.unit_code() << " " << f.fiscal_year() << " "
                  << f.document_number() << " by " << f.issued_by()
                  << " (revision " << record.consolidated_revision() << ")\n";
      for (const budget::v1::ControlAmount& a : f.amounts()) {
        std::string bucket =
            a.has_funding_source()
                ? budget::v1::FundingSource_Name(a.funding_source())
            : a.has_nature() ? budget::v1::ExpenditureNature_Name(a.nature())
                             : "project " + a.project_code();
        context.out << "  " << bucket << "\t"
                    << budget::FormatWan(a.amount_fen()) << "\n";
      }
      continue;
    }
    const budget::v1::Adjustment& a = record.adjustment();
    context.out << "调整 " << a.node_code() << " " << a.fiscal_year() << " "
                << budget::v1::AdjustmentKind_Name(a.kind()) << " "
                << a.document_number() << " by " << a.approved_by() << ": "
                << a.reason() << " (revision " << record.consolidated_revision()
                << ")\n";
  }
  return kExitOk;
}

int Control(const CommandContext& context) {
  const std::vector<std::string>& positional = context.args.positional();
  if (!positional.empty() && positional[0] == "issue") {
    return IssueControl(context);
  }
  if (positional.size() == 1 && positional[0] == "show") {
    return ShowControl(context);
  }
  return context.UsageError("say `control issue FILE` or `control show`");
}

int Approve(const CommandContext& context) {
  const std::vector<std::string>& positional = context.args.positional();
  budget::v1::ApproveBudgetRequest request;
  int year = 0;
  int64_t revision = 0;
  if (positional.size() < 2 || positional.size() > 3 ||
      !absl::SimpleAtoi(positional[1], &year) ||
      (positional.size() == 3 && !absl::SimpleAtoi(positional[2], &revision))) {
    return context.UsageError("give UNIT, YEAR and optionally REVISION");
  }
  request.set_unit_code(positional[0]);
  request.set_fiscal_year(year);
  request.set_revision(revision);
  request.set_comment(context.args.Get("comment", ""));
  request.set_request_id(ContentId(
      "approve", absl::StrCat(positional[0], "-", year, "-", revision)));
  budget::v1::SubmitBudgetResponse response;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& c) {
    return context.services.ingest().ApproveBudget(&c, request, &response);
  });
  if (!status.ok()) return Failed(context, status, "approve");
  context.out << "approved (二下) " << request.unit_code() << " " << year
              << " as revision " << response.revision()
              << " at consolidated revision "
              << response.consolidated_revision()
              << (response.replayed() ? " (already approved)" : "") << "\n";
  return kExitOk;
}

int Adjust(const CommandContext& context) {
  budget::v1::Adjustment adjustment;
  if (context.args.positional().size() != 1) {
    return context.UsageError("name one FILE");
  }
  const std::optional<JsonFile> input =
      ReadJsonFile(context, context.args.positional()[0], &adjustment);
  if (!input) return kExitUsage;
  // The options override the file's reason and document number.
  if (context.args.Has("reason")) {
    adjustment.set_reason(context.args.Get("reason", ""));
  }
  if (context.args.Has("doc")) {
    adjustment.set_document_number(context.args.Get("doc", ""));
  }
  budget::v1::AdjustBudgetRequest request;
  *request.mutable_adjustment() = adjustment;
  request.set_request_id(ContentId("adjust", adjustment.SerializeAsString()));
  budget::v1::AdjustBudgetResponse response;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& c) {
    return context.services.ingest().AdjustBudget(&c, request, &response);
  });
  if (!status.ok()) return Refused(context, status, "adjustment", *input, "");
  context.out << "adjusted (" << adjustment.document_number()
              << ") at consolidated revision "
              << response.consolidated_revision()
              << (response.replayed()
                      ? " (already stored; the totals as they were then)"
                      : "")
              << "\n";
  for (const budget::v1::NodeTotals& totals : response.adjusted_totals()) {
    context.out << "  " << totals.node_code() << " 调整后 "
                << budget::FormatWan(totals.expenditure_fen()) << " 万元\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> CycleCommands() {
  return {{"control",
           "issue FILE.json | show --unit CODE --year YYYY [--format "
           "text|json]",
           "issue control figures (一下 控制数) from a file, or show the "
           "control figures and adjustments of a subtree",
           {{"unit", "year", "format"}, {}},
           Control},
          {"approve",
           "UNIT YEAR [REVISION] [--comment TEXT]",
           "approve (二下 批复) a unit's 二上 submission: its figures are "
           "frozen",
           {{"comment"}, {}},
           Approve},
          {"adjust",
           "FILE.json [--reason TEXT] [--doc NUMBER]",
           "record an adjustment (调整: 追加, 追减, 调剂) of approved budgets",
           {{"reason", "doc"}, {}},
           Adjust}};
}

}  // namespace budgetctl
