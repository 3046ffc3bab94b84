// Fuzzes the path of a submitted budget through the domain: the input is a
// serialized UnitBudget, as SubmitBudget receives it. Every budget is
// validated (with and without the registry, lenient and strict); one without
// a fatal finding is consolidated into a small registry, and all thirteen
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
#include "budget/budget_file/units_file.h"
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

// The registry of fixtures/zhengzhou-iit/units.units: department 021 and its
// six units, one of each kind the rules tell apart.
constexpr char kRegistry[] = R"(
[unit]
code,name,parent_code,kind
021,郑州市工业和信息化局,,GROUP
021001,郑州市工业和信息化局机关,021,ADMINISTRATIVE
021002,郑州市工业和信息化发展中心,021,INSTITUTION
021014,郑州市中小企业服务中心,021,CIVIL_SERVICE_INSTITUTION
021015,郑州市煤炭管理事务中心,021,INSTITUTION
021016,郑州市工业和信息化执法支队,021,INSTITUTION
021017,郑州市煤矿防灾救灾中心,021,INSTITUTION
)";

const budget::UnitTree& Registry() {
  static const budget::UnitTree* tree = [] {
    auto units = budget::ParseUnitsFile(kRegistry, "registry.units");
    if (!units.ok()) std::abort();
    auto built = budget::UnitTree::Build(units.value);
    if (!built.ok()) std::abort();
    return new budget::UnitTree(*std::move(built));
  }();
  return *tree;
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
  context.registry = &Registry();
  context.strict = true;
  (void)budget::ValidateUnitBudget(*budget, context);
  context.strict = false;
  const budget::v1::ValidationReport report =
      budget::ValidateUnitBudget(*budget, context);
  if (budget::HasFatal(report)) return 0;

  budget::Consolidator consolidator(&Registry());
  const std::string unit = budget->unit_code();
  const int32_t year = budget->fiscal_year();
  if (!consolidator.ReplaceUnitBudget(budget).ok()) return 0;
  (void)consolidator.Reconcile("021", year);
  for (const budget::v1::Unit* node : Registry().PathToRoot(unit)) {
    BuildEverything(consolidator, node->code(), year);
  }
  if (!consolidator.RemoveUnitBudget(unit, year).ok()) std::abort();
  return 0;
}
