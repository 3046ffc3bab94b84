// Validates one unit's budget against the catalogs and the accounting
// identities, reporting every finding at once. Each rule has a stable id
// (BGT-Exxx), a severity, and reports the field path, the value given and the
// value expected. The catalogue of rules is in rules.h.
//
// Pure functions; thread-safe.
#ifndef BUDGET_VALIDATION_VALIDATOR_H_
#define BUDGET_VALIDATION_VALIDATOR_H_

#include "budget/catalog/catalog.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// What the validator may consult besides the budget itself. Pointers are
// borrowed for the duration of the call.
struct ValidationContext {
  const Catalog* catalog = nullptr;  // Required.
  // The registry; the unit, its kind, and transfer counterparts are looked
  // up here. nullptr skips the registry rules (files checked offline).
  const UnitTree* registry = nullptr;
  // The unit's accepted budget of the previous year, for swing warnings.
  const v1::UnitBudget* prior_year = nullptr;
  // Well-formed codes missing from the catalogs are fatal instead of
  // warnings.
  bool strict = false;
};

// Every finding, fatal first, then in field order.
v1::ValidationReport ValidateUnitBudget(const v1::UnitBudget& budget,
                                        const ValidationContext& context);

// `report` listing only its findings [offset, offset + size); the others
// are added to its omitted counts. What a reply or a page of a report
// lists.
v1::ValidationReport ReportWindow(const v1::ValidationReport& report,
                                  int offset, int size);

// True when any finding blocks acceptance.
bool HasFatal(const v1::ValidationReport& report);

}  // namespace budget

#endif  // BUDGET_VALIDATION_VALIDATOR_H_
