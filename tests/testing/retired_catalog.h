// A catalog in which chosen codes were retired by the 2024 edition, for the
// tests of the retired-code findings (BGT-E016/E017/E018): no code has been
// established as retired between the shipped editions (docs/catalogs.md),
// so the tests make the case from a copy of data/catalog/.
//
// Call from inside a test (it uses a scratch directory); tests run from the
// source root. Thread-compatible.
#ifndef TESTS_TESTING_RETIRED_CATALOG_H_
#define TESTS_TESTING_RETIRED_CATALOG_H_

#include <string>
#include <vector>

#include "budget/catalog/catalog.h"

namespace e2e_testing {

// The shipped catalog with every row listing one of `codes` (any
// classification, and every crosswalk pair naming one) closed at the 2023
// edition. Fails the running test if the copy does not load.
budget::Catalog CatalogRetiringIn2024(const std::vector<std::string>& codes);

}  // namespace e2e_testing

#endif  // TESTS_TESTING_RETIRED_CATALOG_H_
