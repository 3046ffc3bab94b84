// ParseManifest: the settings of a golden department's golden.cfg.
#include "tests/golden/golden_manifest.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace golden {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(GoldenManifestTest, ReadsTablesViewsSummariesAndPrecision) {
  absl::StatusOr<Manifest> manifest = ParseManifest(
      "# comment\n"
      "department 500104031\n"
      "year 2026   # trailing comment\n"
      "table 01 key income_item:income_amount key "
      "expenditure_item:expenditure_amount partial\n"
      "table 06 position\n"
      "summary income_change 8,783.60\n"
      "view 500104031001 2025 unit-2025\n"
      "table 02 key code\n"
      "amounts wan 2\n");
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->department, "500104031");
  EXPECT_THAT(manifest->submit_years, ElementsAre(2026));
  ASSERT_EQ(manifest->tables.size(), 3u);

  const ManifestTable& income = manifest->tables[0];
  EXPECT_EQ(income.id, "01");
  EXPECT_EQ(income.target.node, "500104031");
  EXPECT_EQ(income.target.year, 2026);
  EXPECT_EQ(income.expected_dir, "expected");
  EXPECT_TRUE(income.target.options.partial);
  ASSERT_EQ(income.target.options.keys.size(), 2u);
  EXPECT_THAT(income.target.options.keys[1].key_columns,
              ElementsAre("expenditure_item"));
  EXPECT_THAT(income.target.options.keys[1].value_columns,
              ElementsAre("expenditure_amount"));
  // The precision holds for every table, wherever the line stands.
  EXPECT_EQ(income.target.options.decimals, 2);

  EXPECT_TRUE(manifest->tables[1].target.options.keys.empty());

  const ManifestTable& unit = manifest->tables[2];
  EXPECT_EQ(unit.target.node, "500104031001");
  EXPECT_EQ(unit.target.year, 2025);
  EXPECT_EQ(unit.expected_dir, "expected/unit-2025");
  EXPECT_FALSE(unit.target.options.partial);

  ASSERT_EQ(manifest->summaries.size(), 1u);
  EXPECT_EQ(manifest->summaries[0].field, "income_change");
  EXPECT_EQ(manifest->summaries[0].printed, "8,783.60");
  EXPECT_EQ(manifest->summaries[0].target.node, "500104031");
}

TEST(GoldenManifestTest, NamesTheLineItCannotRead) {
  absl::StatusOr<Manifest> manifest =
      ParseManifest("department 021\nyear 2024\ntable 01 sideways\n");
  EXPECT_THAT(manifest.status().message(), HasSubstr("golden.cfg:3"));
  manifest = ParseManifest("department 021\nyear 2024\nview 021001 x y\n");
  EXPECT_THAT(manifest.status().message(), HasSubstr("golden.cfg:3"));
  manifest = ParseManifest("year 2024\ntable 01 position\n");
  EXPECT_THAT(manifest.status().message(), HasSubstr("department"));
}

}  // namespace
}  // namespace golden
