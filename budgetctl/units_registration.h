// Registers units with the ingest service, the step `units add`, `units
// import` and `import` share. A unit already registered exactly as given
// counts as done, so that loading the same registry twice is harmless.
//
// Thread-compatible.
#ifndef BUDGETCTL_UNITS_REGISTRATION_H_
#define BUDGETCTL_UNITS_REGISTRATION_H_

#include <ostream>
#include <vector>

#include "budget/v1/budget.pb.h"
#include "budgetctl/services.h"

namespace budgetctl {

// Registers `units`, each after its parent when the parent is among them
// (budget::ParentsFirst), all or nothing: every unit is first checked
// against the registry and the units before it with the service's rules
// (budget::UnitTree: code, name, kind, a known parent, no duplicate), and
// when any is refused, each refusal is printed (with `origins[i]`, e.g.
// "units.units:12", when given) and none is sent. A failure the checks
// cannot foresee (store, network, a concurrent registration) stops there,
// saying exactly which units were registered before it. Returns the exit
// code.
int RegisterUnits(const std::vector<budget::v1::Unit>& units,
                  Services& services, std::ostream& out, std::ostream& err,
                  const std::vector<std::string>& origins = {});

}  // namespace budgetctl

#endif  // BUDGETCTL_UNITS_REGISTRATION_H_
