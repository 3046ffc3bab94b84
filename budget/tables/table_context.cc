#include "budget/tables/table_context.h"

#include <memory>

#include "absl/strings/str_cat.h"

namespace budget {

absl::StatusOr<TableContext> TableContext::Create(const TableRequest& request) {
  if (request.consolidation == nullptr || request.catalog == nullptr) {
    return absl::InvalidArgumentError(
        "table request needs a consolidation and a catalog");
  }
  TableContext context;
  context.request = &request;
  // Names are those of the catalog edition of the table's year.
  context.catalog = &request.catalog->ForFiscalYear(request.fiscal_year);
  const UnitTree& tree = request.consolidation->tree();
  context.node = tree.Find(request.node_code);
  if (context.node == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unknown node \"", request.node_code, "\""));
  }
  context.rollup =
      request.consolidation->Rollup(request.node_code, request.fiscal_year);
  if (context.rollup == nullptr) {
    return absl::NotFoundError(absl::StrCat("no budget below node ",
                                            request.node_code, " for ",
                                            request.fiscal_year));
  }
  for (const UnitTree::Visit& visit : tree.Subtree(request.node_code)) {
    std::shared_ptr<const PackedBudget> budget =
        request.consolidation->Packed(visit.unit->code(), request.fiscal_year);
    if (budget != nullptr) context.units.emplace_back(visit.unit, budget);
  }
  context.internal_funding =
      std::make_shared<const NodeInternalFunding>(NodeInternalFunding::Read(
          *request.consolidation, request.node_code, request.fiscal_year));
  context.rollup = context.internal_funding->Relabelled(context.rollup);
  return context;
}

v1::DisclosureTable TableContext::NewTable(absl::string_view table_id,
                                           absl::string_view name) const {
  v1::DisclosureTable table;
  table.set_table_id(std::string(table_id));
  table.set_title(absl::StrCat(request->fiscal_year, " 年", name));
  table.set_node_code(node->code());
  table.set_node_name(node->name());
  table.set_fiscal_year(request->fiscal_year);
  table.set_unit_label("单位：万元");
  return table;
}

const v1::UnitBudget& TableContext::UnitBudgetRef::particulars() const {
  if (particulars_ == nullptr) {
    particulars_ =
        std::make_shared<const v1::UnitBudget>(budget->UnpackParticulars());
  }
  return *particulars_;
}

std::shared_ptr<const NodeRollup> TableContext::RollupOf(
    absl::string_view code) const {
  return request->consolidation->Rollup(code, request->fiscal_year);
}

}  // namespace budget
