// What an uncleared reader sees of a raw budget (exports, stored
// submissions): each classified project reads as budget::kMaskedProject in
// code and name, without indicators, and its lines name the masked code and
// lose their memo, but keep their amounts so that every total still adds up.
//
// Pure functions; thread-safe.
#ifndef AUTH_BUDGET_MASKING_H_
#define AUTH_BUDGET_MASKING_H_

#include "budget/v1/budget.pb.h"

namespace auth {

void MaskClassifiedProjects(budget::v1::UnitBudget& budget);

}  // namespace auth

#endif  // AUTH_BUDGET_MASKING_H_
