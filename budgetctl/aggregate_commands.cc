// `budgetctl aggregate` (rollups by any dimensions, cuts, prior year) and
// `budgetctl summary` (the explanatory figures of 第二部分).
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "budget/aggregation/aggregator.h"
#include "budget/cycle/stage.h"
#include "budget/money.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/json_output.h"

namespace budgetctl {
namespace {

using budget::v1::AggregateRequest;
using budget::v1::AggregateResponse;
using budget::v1::AggregateRow;
using budget::v1::Dimension;

// "function_class" -> DIMENSION_FUNCTION_CLASS.
absl::StatusOr<Dimension> ParseDimension(absl::string_view name) {
  Dimension dimension;
  if (!budget::v1::Dimension_Parse(
          absl::StrCat("DIMENSION_", absl::AsciiStrToUpper(name)),
          &dimension) ||
      dimension == budget::v1::DIMENSION_UNSPECIFIED) {
    std::vector<std::string> names;
    for (int i = 1; i < budget::v1::Dimension_descriptor()->value_count();
         ++i) {
      names.push_back(absl::AsciiStrToLower(
          budget::v1::Dimension_descriptor()->value(i)->name().substr(10)));
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown dimension \"", name,
                                                   "\"; use one of ",
                                                   absl::StrJoin(names, ", ")));
  }
  return dimension;
}

// Fills drilldown and cuts from --drilldown DIM and --cut DIM=V1,V2.
absl::Status FillDimensions(const Args& args, AggregateRequest& request) {
  for (const std::string& name : args.GetAll("drilldown")) {
    absl::StatusOr<Dimension> dimension = ParseDimension(name);
    if (!dimension.ok()) return dimension.status();
    request.add_drilldown(*dimension);
  }
  for (const std::string& cut_text : args.GetAll("cut")) {
    std::pair<std::string, std::string> parts =
        absl::StrSplit(cut_text, absl::MaxSplits('=', 1));
    absl::StatusOr<Dimension> dimension = ParseDimension(parts.first);
    if (!dimension.ok()) return dimension.status();
    if (parts.second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--cut ", cut_text, " needs values: DIM=V1,V2"));
    }
    budget::v1::Cut* cut = request.add_cuts();
    cut->set_dimension(*dimension);
    for (absl::string_view value : absl::StrSplit(parts.second, ',')) {
      cut->add_values(std::string(value));
    }
  }
  return absl::OkStatus();
}

// What `--compare-stage control` names: the control figures (一下 控制数).
constexpr char kControlColumn[] = "control";

// What aggregate and summary both read off the command line.
struct ReadArgs {
  NodeYear node_year;
  std::string format;
  int compare_year = 0;
  budget::v1::BudgetStage compare_stage = budget::v1::BUDGET_STAGE_UNSPECIFIED;
  // --compare-stage S1,S2,... (or control): one column each, with the
  // difference of the read stage to it.
  std::vector<budget::v1::CompareColumn> columns;
  std::vector<std::string> column_names;  // Parallel to columns.
  // Some comparison is asked for: a year or a stage.
  bool compare() const {
    return compare_year != 0 ||
           compare_stage != budget::v1::BUDGET_STAGE_UNSPECIFIED;
  }
};

absl::StatusOr<ReadArgs> GetReadArgs(const Args& args) {
  ReadArgs read;
  absl::StatusOr<NodeYear> node_year = GetNodeYear(args);
  if (!node_year.ok()) return node_year.status();
  read.node_year = *node_year;
  absl::StatusOr<std::string> format = GetFormat(args, {"text", "json"});
  if (!format.ok()) return format.status();
  read.format = *format;
  absl::StatusOr<int> compare_year =
      args.GetInt("compare-year", /*required=*/false);
  if (!compare_year.ok()) return compare_year.status();
  read.compare_year = *compare_year;
  if (!args.Has("compare-stage")) return read;
  const std::string names = args.Get("compare-stage", "");
  // One stage alone reads like --compare-year: the stage and the change in
  // percent. A list, or the control figures, reads as columns.
  if (absl::StrContains(names, ',') || names == kControlColumn) {
    for (absl::string_view name : absl::StrSplit(names, ',')) {
      budget::v1::CompareColumn column;
      if (name == kControlColumn) {
        column.set_control_figures(true);
      } else {
        absl::StatusOr<budget::v1::BudgetStage> stage =
            budget::ParseStageName(name);
        if (!stage.ok()) return stage.status();
        column.set_stage(*stage);
      }
      read.columns.push_back(column);
      read.column_names.emplace_back(name);
    }
    return read;
  }
  absl::StatusOr<budget::v1::BudgetStage> stage = budget::ParseStageName(names);
  if (!stage.ok()) return stage.status();
  read.compare_stage = *stage;
  return read;
}

// Each column's amount and the read stage's difference to it; "-" for a
// bucket no control figure covers.
std::string ColumnsText(const AggregateRow& row) {
  std::string text;
  for (const budget::v1::ColumnAmount& column : row.columns()) {
    if (row.masked()) {
      absl::StrAppend(&text, "\tXXXX\tXXXX");
    } else if (column.uncontrolled()) {
      absl::StrAppend(&text, "\t-\t-");
    } else {
      absl::StrAppend(&text, "\t", budget::FormatWan(column.amount_fen()), "\t",
                      column.difference_fen() > 0 ? "+" : "",
                      budget::FormatWan(column.difference_fen()));
    }
  }
  return text;
}

std::string RowText(const AggregateRow& row, bool compare) {
  std::vector<std::string> members;
  for (const budget::v1::Member& member : row.members()) {
    members.push_back(absl::StrCat(member.value(), " ", member.name()));
  }
  // What internal transfers between the rows' members took out of the
  // whole, named as the library names it.
  std::string label =
      row.residual() ? budget::kResidualName : absl::StrJoin(members, " / ");
  if (row.subtotal()) label = absl::StrCat(label, " (subtotal)");
  // A classified row's amount is withheld from uncleared readers; print it
  // the way the published tables do.
  if (row.masked()) {
    return absl::StrCat(label, "\tXXXX", compare ? "\tXXXX\t" : "",
                        ColumnsText(row));
  }
  std::string text =
      absl::StrCat(label, "\t", budget::FormatWan(row.amount_fen()));
  if (compare) {
    absl::StrAppend(&text, "\t", budget::FormatWan(row.compare().prior_fen()),
                    "\t", row.compare().change_percent());
  }
  return absl::StrCat(text, ColumnsText(row));
}

int Aggregate(const CommandContext& context) {
  absl::StatusOr<ReadArgs> read = GetReadArgs(context.args);
  if (!read.ok()) return context.UsageError(read.status().message());
  AggregateRequest request;
  request.set_node_code(read->node_year.node_code);
  request.set_fiscal_year(read->node_year.fiscal_year);
  *request.mutable_read() = read->node_year.read;
  request.set_compare_year(read->compare_year);
  request.set_compare_stage(read->compare_stage);
  for (const budget::v1::CompareColumn& column : read->columns) {
    *request.add_compare_columns() = column;
  }
  request.set_subtotals(context.args.Has("subtotals"));
  if (absl::Status status = FillDimensions(context.args, request);
      !status.ok()) {
    return context.UsageError(status.message());
  }

  // Every page, gathered into one answer.
  AggregateResponse all;
  do {
    AggregateResponse page;
    grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
      return context.services.query().Aggregate(&call, request, &page);
    });
    if (!status.ok()) {
      return ReportFailure(status, "aggregate",
                           context.services.options().query_address,
                           context.err);
    }
    all.mutable_rows()->MergeFrom(page.rows());
    *all.mutable_grand_total() = page.grand_total();
    all.set_revision(page.revision());
    all.set_total_rows(page.total_rows());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());

  if (read->format == "json") {
    context.out << MessageJson(all, /*pretty=*/true);
    return kExitOk;
  }
  context.out << "万元, consolidated revision " << all.revision() << "\n";
  if (!read->columns.empty()) {
    // Which column is which: the read stage, then each compared one with
    // the read stage's difference to it.
    context.out << "\t"
                << budget::StageName(
                       budget::ReadStage(read->node_year.read.stage()));
    for (const std::string& name : read->column_names) {
      context.out << "\t" << name << "\t差额";
    }
    context.out << "\n";
  } else if (read->compare()) {
    // Which column is which: this year (or stage), the compared one, and
    // the change between them.
    if (read->compare_year != 0) {
      context.out << "\t" << read->node_year.fiscal_year << "\t"
                  << read->compare_year;
    } else {
      context.out << "\t"
                  << budget::StageName(
                         budget::ReadStage(read->node_year.read.stage()))
                  << "\t" << budget::StageName(read->compare_stage);
    }
    context.out << "\t增减%\n";
  }
  for (const AggregateRow& row : all.rows()) {
    context.out << RowText(row, read->compare()) << "\n";
  }
  AggregateRow total = all.grand_total();
  total.clear_members();
  context.out << "合计" << RowText(total, read->compare()) << "\n";
  return kExitOk;
}

std::string ShareText(const budget::v1::Share& share) {
  return absl::StrCat(budget::FormatWan(share.part_fen()), " (",
                      share.percent(), ")");
}

std::string ChangeText(const budget::v1::Change& change) {
  return absl::StrCat("prior ", budget::FormatWan(change.prior_fen()),
                      ", change ", budget::FormatWan(change.change_fen()), " ",
                      change.change_percent());
}

void PrintSummary(const budget::v1::Summary& s, budget::v1::BudgetStage stage,
                  std::ostream& out) {
  out << s.node_name() << " (" << s.node_code() << ") " << s.fiscal_year()
      << " 年预算 (万元, " << StageText(stage) << ", consolidated revision "
      << s.revision() << ")\n"
      << "收入合计\t" << budget::FormatWan(s.income_total_fen()) << "\n"
      << "支出合计\t" << budget::FormatWan(s.expenditure_total_fen()) << "\n"
      << "一般公共预算\t" << budget::FormatWan(s.general_public_budget_fen())
      << "\n"
      // Every other source of this year, not table 01's 九、其他收入 alone.
      << "一般公共预算以外的本年收入\t"
      << budget::FormatWan(s.other_income_fen()) << "\n";
  // Only departments with money carried over print the line.
  if (s.carryover_fen() != 0) {
    out << "上年结转结余\t" << budget::FormatWan(s.carryover_fen()) << "\n";
  }
  out << "基本支出\t" << ShareText(s.basic()) << "\n"
      << "项目支出\t" << ShareText(s.project()) << "\n";
  // Only departments with 事业单位经营支出 print the line, so that the three
  // shares add up to the total.
  if (s.operating().part_fen() != 0) {
    out << "事业单位经营支出\t" << ShareText(s.operating()) << "\n";
  }
  out  // Shares of the 一般公共预算 基本支出 (table 06), not of the line above.
      << "一般公共预算基本支出 人员经费\t" << ShareText(s.personnel()) << "\n"
      << "一般公共预算基本支出 公用经费\t" << ShareText(s.public_funds())
      << "\n"
      << "\"三公\"经费\t" << budget::FormatWan(s.three_public().total_fen())
      << "\n";
  if (s.compare_year() != 0) {
    out << "比 " << s.compare_year() << " 年:\n"
        << "  收入\t" << ChangeText(s.income_change()) << "\n"
        << "  一般公共预算\t" << ChangeText(s.general_public_budget_change())
        << "\n"
        << "  \"三公\"经费\t" << ChangeText(s.three_public_change()) << "\n";
  }
  if (s.transfer_mismatch_count() == 0) return;
  // In yuan: a mismatch of a few fen must not print as 0.0 万元.
  out << "内部往来不一致 (" << s.transfer_mismatch_count()
      << "; 元; 未抵销部分使收支不平衡):\n";
  for (const budget::v1::TransferMismatch& m : s.transfer_mismatches()) {
    out << "  " << m.payer_unit_code() << " -> " << m.payee_unit_code() << " "
        << (m.kind() == budget::v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR
                ? "上缴上级"
                : "对附属单位补助")
        << "\t付 " << budget::FormatYuan(m.paid_fen()) << ", 收 "
        << budget::FormatYuan(m.received_fen()) << "\n";
  }
  if (s.transfer_mismatch_count() > s.transfer_mismatches_size()) {
    out << "  ... "
        << s.transfer_mismatch_count() - s.transfer_mismatches_size()
        << " more\n";
  }
}

int Summary(const CommandContext& context) {
  absl::StatusOr<ReadArgs> read = GetReadArgs(context.args);
  if (!read.ok()) return context.UsageError(read.status().message());
  budget::v1::GetSummaryRequest request;
  request.set_node_code(read->node_year.node_code);
  request.set_fiscal_year(read->node_year.fiscal_year);
  *request.mutable_read() = read->node_year.read;
  request.set_compare_year(read->compare_year);
  budget::v1::Summary summary;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.query().GetSummary(&call, request, &summary);
  });
  if (!status.ok()) {
    return ReportFailure(status, "summary",
                         context.services.options().query_address, context.err);
  }
  if (read->format == "json") {
    context.out << MessageJson(summary, /*pretty=*/true);
  } else {
    PrintSummary(summary, budget::ReadStage(request.read().stage()),
                 context.out);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AggregateCommands() {
  return {{"aggregate",
           "--unit CODE --year YYYY [--min-revision N] [--drilldown DIM]... "
           "[--cut DIM=V1,V2]... "
           "[--compare-year YYYY | --compare-stage S[,S...]] [--stage S] "
           "[--as-of REVISION|RFC3339-TIME] [--subtotals] "
           "[--format text|json]",
           "roll up expenditure by dimensions (function_class, nature, "
           "funding_source, ...); --compare-stage proposal,control,approved,"
           "adjusted sets a column per stage (control: the control figures) "
           "with the difference to --stage",
           {{"unit", "year", "min-revision", "drilldown", "cut", "compare-year",
             "compare-stage", "stage", "as-of", "format"},
            {"subtotals"}},
           Aggregate},
          {"summary",
           "--unit CODE --year YYYY [--min-revision N] [--stage S] "
           "[--as-of REVISION|RFC3339-TIME] [--compare-year YYYY] "
           "[--format text|json]",
           "the explanatory figures: totals, shares, \"三公\", prior year",
           {{"unit", "year", "min-revision", "stage", "as-of", "compare-year",
             "format"},
            {}},
           Summary}};
}

}  // namespace budgetctl
