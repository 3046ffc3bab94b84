// Fuzzes the path of a submitted budget through the domain: the input is a
// serialized UnitBudget, as SubmitBudget receives it. Every budget is
// validated (without a registry, and with one made for it: lenient and
// strict); one without a fatal finding is consolidated, and all thirteen
// disclosure tables and the summary of its unit and its department are
// built and rendered, as the query service would.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/render_csv.h"
#include "budget/tables/render_text.h"
#include "budget/tables/summary.h"
#include "budget/v1/budget.pb.h"
#include "budget/validation/validator.h"

namespace {

// A registry made for the budget, so that a budget of any department can
// get through: its unit, of `kind`, below a department whose code is the
// unit's without its last three digits (as 021 -> 021001 and 500104031 ->
// 500104031001 in fixtures/), and the units its transfers name, as
// institutions of that department. Nodes the tree refuses (malformed codes)
// are left out, and the validator then reports the unit unknown.
budget::UnitTree RegistryFor(const budget::v1::UnitBudget& budget,
                             budget::v1::UnitKind kind) {
  const std::string& code = budget.unit_code();
  const std::string department =
      code.size() > 3 ? code.substr(0, code.size() - 3) : "0";
  budget::UnitTree tree;
  auto add = [&tree](const std::string& unit_code, const std::string& parent,
                     budget::v1::UnitKind unit_kind) {
    budget::v1::Unit unit;
    unit.set_code(unit_code);
    unit.set_name("单位" + unit_code);
    unit.set_parent_code(parent);
    unit.set_kind(unit_kind);
    (void)tree.Add(unit);
  };
  add(department, "", budget::v1::UNIT_KIND_GROUP);
  add(code, department, kind);
  for (const budget::v1::IncomeLine& line : budget.income()) {
    add(line.counterpart_unit(), department, budget::v1::UNIT_KIND_INSTITUTION);
  }
  for (const budget::v1::ExpenditureLine& line : budget.expenditures()) {
    add(line.counterpart_unit(), department, budget::v1::UNIT_KIND_INSTITUTION);
  }
  return tree;
}

void BuildEverything(const budget::Consolidator& consolidator,
                     const std::string& node, int32_t year) {
  for (bool cleared : {false, true}) {
    budget::TableRequest request;
    request.consolidation = &consolidator;
    request.catalog = &budget::Catalog::Default();
    request.node_code = node;
    request.fiscal_year = year;
    request.cleared = cleared;
    for (int id = 1; id <= 13; ++id) {
      absl::StatusOr<budget::v1::DisclosureTable> table =
          budget::BuildDisclosureTable(absl::StrFormat("%02d", id), request);
      if (!table.ok()) continue;
      (void)budget::RenderText(*table);
      (void)budget::RenderCsv(*table);
    }
    (void)budget::BuildSummary(request, year > 1 ? year - 1 : 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto budget = std::make_shared<budget::v1::UnitBudget>();
  if (!budget->ParseFromArray(data, static_cast<int>(size))) return 0;

  budget::ValidationContext context;
  context.catalog = &budget::Catalog::Default();
  (void)budget::ValidateUnitBudget(*budget, context);  // Offline.
  // The rules differ by kind of unit: the first kind the budget passes as.
  for (budget::v1::UnitKind kind :
       {budget::v1::UNIT_KIND_ADMINISTRATIVE,
        budget::v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION,
        budget::v1::UNIT_KIND_INSTITUTION}) {
    const budget::UnitTree registry = RegistryFor(*budget, kind);
    context.registry = &registry;
    context.strict = true;
    (void)budget::ValidateUnitBudget(*budget, context);
    context.strict = false;
    if (budget::HasFatal(budget::ValidateUnitBudget(*budget, context))) {
      continue;
    }

    budget::Consolidator consolidator(&registry);
    const std::string unit = budget->unit_code();
    const int32_t year = budget->fiscal_year();
    if (!consolidator.ReplaceUnitBudget(budget).ok()) return 0;
    const std::vector<const budget::v1::Unit*> path = registry.PathToRoot(unit);
    (void)consolidator.Reconcile(path.back()->code(), year);
    for (const budget::v1::Unit* node : path) {
      BuildEverything(consolidator, node->code(), year);
    }
    if (!consolidator.RemoveUnitBudget(unit, year).ok()) std::abort();
    return 0;
  }
  return 0;
}
