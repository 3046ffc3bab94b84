// The reference department's golden files (fixtures/zhengzhou-iit), parsed
// for the tests that load it: the registry and each year's unit budgets.
// A file that does not parse fails the running test (ADD_FAILURE) and is
// left out. Thread-compatible.
#ifndef TESTS_TESTING_REFERENCE_FIXTURE_H_
#define TESTS_TESTING_REFERENCE_FIXTURE_H_

#include <string>
#include <vector>

#include "budget/v1/budget.pb.h"
#include "google/protobuf/message.h"

namespace e2e_testing {

// The registry, parents before children.
std::vector<budget::v1::Unit> ReferenceUnits();

struct ReferenceBudget {
  std::string path;  // The .budget file it came from.
  budget::v1::UnitBudget budget;
};

// The unit budgets of `year`, in file-name (unit code) order.
std::vector<ReferenceBudget> ReferenceBudgets(int year);
// The unit budgets in `folder` (relative to the fixture, e.g.
// "cycle/proposal"), in file-name order.
std::vector<ReferenceBudget> ReferenceBudgetsIn(const std::string& folder);
// The text of a fixture file (relative to the fixture).
std::string ReferenceFile(const std::string& path);
// Parses the fixture file `path`, JSON in the proto mapping, into `message`.
void ParseReferenceJson(const std::string& path,
                        google::protobuf::Message* message);
template <typename Message>
Message ReferenceJson(const std::string& path) {
  Message message;
  ParseReferenceJson(path, &message);
  return message;
}

}  // namespace e2e_testing

#endif  // TESTS_TESTING_REFERENCE_FIXTURE_H_
