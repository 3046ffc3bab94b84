#include "budget/tables/summary.h"

#include <vector>

#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/internal_funding.h"
#include "budget/money.h"
#include "budget/tables/funds.h"
#include "budget/tables/nature_split.h"
#include "budget/tables/percent.h"
#include "budget/tables/table_context.h"
#include "budget/tables/three_public.h"

namespace budget {
namespace {

// The amounts of one node and year that the summary compares and shares.
struct Figures {
  int64_t general_public_income = 0;
  int64_t carryover_income = 0;
  int64_t basic = 0;
  int64_t project = 0;
  int64_t operating = 0;
  int64_t fiscal_basic = 0;
  int64_t fiscal_project = 0;
  int64_t fiscal_operating = 0;
  int64_t personnel = 0;
  int64_t public_funds = 0;
  v1::ThreePublicExpenses three_public;
};

absl::StatusOr<Figures> ComputeFigures(const NodeRollup& rollup) {
  MoneySum general_public, carryover, personnel, public_funds;
  NatureSplit all, fiscal;
  for (const auto& [source, fen] : rollup.income) {
    if (IsGeneralPublicBudget(source)) general_public.Add(fen);
    if (ClassifySource(source).carryover) carryover.Add(fen);
  }
  for (const auto& [key, cell] : rollup.expenditure) {
    all.Add(key.nature(), cell.fen);
    if (!IsGeneralPublicBudget(key.source())) continue;
    fiscal.Add(key.nature(), cell.fen);
    if (key.nature() == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL) {
      personnel.Add(cell.fen);
    } else if (key.nature() == v1::EXPENDITURE_NATURE_BASIC_PUBLIC) {
      public_funds.Add(cell.fen);
    }
  }
  for (const MoneySum* sum :
       {&general_public, &carryover, &personnel, &public_funds}) {
    if (!sum->ok()) return sum->status();
  }
  for (const NatureSplit* split : {&all, &fiscal}) {
    if (absl::Status status = split->status(); !status.ok()) return status;
  }
  auto three_public = SumThreePublic(rollup);
  if (!three_public.ok()) return three_public.status();
  Figures figures;
  figures.general_public_income = general_public.value();
  figures.carryover_income = carryover.value();
  figures.basic = all.basic.value();
  figures.project = all.project.value();
  figures.operating = all.operating.value();
  figures.fiscal_basic = fiscal.basic.value();
  figures.fiscal_project = fiscal.project.value();
  figures.fiscal_operating = fiscal.operating.value();
  figures.personnel = personnel.value();
  figures.public_funds = public_funds.value();
  figures.three_public = *three_public;
  return figures;
}

}  // namespace

absl::StatusOr<v1::Summary> BuildSummary(const TableRequest& request,
                                         int32_t compare_year) {
  auto context = TableContext::Create(request);
  if (!context.ok()) return context.status();
  const NodeRollup& rollup = *context->rollup;
  auto figures = ComputeFigures(rollup);
  if (!figures.ok()) return figures.status();

  v1::Summary summary;
  summary.set_node_code(context->node->code());
  summary.set_node_name(context->node->name());
  summary.set_fiscal_year(request.fiscal_year);
  summary.set_income_total_fen(rollup.income_fen);
  summary.set_expenditure_total_fen(rollup.expenditure_fen);
  summary.set_general_public_budget_fen(figures->general_public_income);
  summary.set_carryover_fen(figures->carryover_income);
  summary.set_institution_fund_fen(
      rollup.IncomeFrom(v1::FUNDING_SOURCE_INSTITUTION_FUND));
  summary.set_other_income_fen(rollup.income_fen -
                               figures->general_public_income -
                               figures->carryover_income);
  *summary.mutable_basic() = MakeShare(figures->basic, rollup.expenditure_fen);
  *summary.mutable_project() =
      MakeShare(figures->project, rollup.expenditure_fen);
  *summary.mutable_operating() =
      MakeShare(figures->operating, rollup.expenditure_fen);
  const int64_t fiscal_total = figures->fiscal_basic + figures->fiscal_project +
                               figures->fiscal_operating;
  *summary.mutable_fiscal_basic() =
      MakeShare(figures->fiscal_basic, fiscal_total);
  *summary.mutable_fiscal_project() =
      MakeShare(figures->fiscal_project, fiscal_total);
  *summary.mutable_fiscal_operating() =
      MakeShare(figures->fiscal_operating, fiscal_total);
  *summary.mutable_personnel() =
      MakeShare(figures->personnel, figures->fiscal_basic);
  *summary.mutable_public_funds() =
      MakeShare(figures->public_funds, figures->fiscal_basic);
  *summary.mutable_three_public() = figures->three_public;
  *summary.mutable_other() = rollup.other;
  int32_t other_stated = 0;
  for (const TableContext::UnitBudgetRef& ref : context->units) {
    if (ref.budget->has_other()) ++other_stated;
  }
  summary.set_other_stated_unit_count(other_stated);
  const std::vector<TransferMismatch> mismatches =
      request.consolidation->Reconcile(request.node_code, request.fiscal_year);
  summary.set_transfer_mismatch_count(static_cast<int32_t>(mismatches.size()));
  for (size_t i = 0; i < mismatches.size() && i < kMaxTransferMismatchesListed;
       ++i) {
    v1::TransferMismatch& listed = *summary.add_transfer_mismatches();
    listed.set_payer_unit_code(mismatches[i].payer_unit);
    listed.set_payee_unit_code(mismatches[i].payee_unit);
    listed.set_kind(mismatches[i].kind);
    listed.set_paid_fen(mismatches[i].paid_fen);
    listed.set_received_fen(mismatches[i].received_fen);
  }

  // Relabelled as this year's figures are (TableContext), so that a change
  // is not a relabelling.
  std::shared_ptr<const NodeRollup> prior =
      compare_year == 0
          ? nullptr
          : NodeInternalFunding::Read(*request.consolidation, request.node_code,
                                      compare_year)
                .Relabelled(request.consolidation->Rollup(request.node_code,
                                                          compare_year));
  if (prior == nullptr) return summary;
  auto prior_figures = ComputeFigures(*prior);
  if (!prior_figures.ok()) return prior_figures.status();
  summary.set_compare_year(compare_year);
  *summary.mutable_income_change() =
      MakeChange(prior->income_fen, rollup.income_fen);
  *summary.mutable_expenditure_change() =
      MakeChange(prior->expenditure_fen, rollup.expenditure_fen);
  *summary.mutable_general_public_budget_change() = MakeChange(
      prior_figures->general_public_income, figures->general_public_income);
  *summary.mutable_three_public_change() =
      MakeChange(prior_figures->three_public.total_fen(),
                 figures->three_public.total_fen());
  *summary.mutable_prior_three_public() = prior_figures->three_public;
  return summary;
}

}  // namespace budget
