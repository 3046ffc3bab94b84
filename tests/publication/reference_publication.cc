#include "tests/publication/reference_publication.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/summary.h"
#include "gtest/gtest.h"
#include "tests/testing/reference_fixture.h"

namespace e2e_testing {
namespace {

constexpr int kYear = 2024;

const budget::Consolidator& Consolidated() {
  static const budget::Consolidator* consolidator = [] {
    absl::StatusOr<budget::UnitTree> tree =
        budget::UnitTree::Build(ReferenceUnits());
    // value() ends the test binary with the status when the registry is bad.
    auto* units = new budget::UnitTree(std::move(tree).value());
    auto* result = new budget::Consolidator(units);
    for (int year : {kYear - 1, kYear}) {
      for (const ReferenceBudget& file : ReferenceBudgets(year)) {
        absl::Status status = result->ReplaceUnitBudget(
            std::make_shared<const budget::v1::UnitBudget>(file.budget));
        EXPECT_TRUE(status.ok()) << file.path << ": " << status;
      }
    }
    return result;
  }();
  return *consolidator;
}

}  // namespace

budget::PublicationData ReferencePublication(bool cleared) {
  budget::TableRequest request;
  request.consolidation = &Consolidated();
  request.catalog = &budget::Catalog::Default();
  request.node_code = "021";
  request.fiscal_year = kYear;
  request.cleared = cleared;
  budget::PublicationData data;
  absl::StatusOr<budget::v1::Summary> summary =
      budget::BuildSummary(request, kYear - 1);
  EXPECT_TRUE(summary.ok()) << summary.status();
  if (summary.ok()) data.summary = *std::move(summary);
  for (int i = 1; i <= 13; ++i) {
    const std::string id = absl::StrCat(i < 10 ? "0" : "", i);
    absl::StatusOr<budget::v1::DisclosureTable> table =
        budget::BuildDisclosureTable(id, request);
    EXPECT_TRUE(table.ok()) << id << ": " << table.status();
    if (table.ok()) data.tables[id] = *std::move(table);
  }
  return data;
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

budget::DepartmentTexts ReferenceTexts() {
  const std::filesystem::path path = kReferenceFixtures / "021-2024.texts";
  budget::ParsedFile<budget::DepartmentTexts> texts =
      budget::ParseDepartmentTexts(ReadWholeFile(path), path.string());
  EXPECT_TRUE(texts.ok()) << texts.status();
  return texts.value;
}

}  // namespace e2e_testing
