// The catalog as data: its editions, the counts docs/catalogs.md states for
// each list, and the crosswalk against the transcription of the official
// 两套支出经济分类科目对照表 (data/catalog/crosswalk_table.txt).
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "budget/catalog/catalog.h"
#include "budget/catalog/test_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

// Every code of `system` in `catalog`, by level (1 = 类, 2 = 款, 3 = 项).
std::map<int, int> CountByLevel(const Catalog& catalog, CodeSystem system) {
  std::map<int, int> counts;
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    const std::string code = pending.back();
    pending.pop_back();
    for (const CatalogEntry* child : catalog.Children(system, code)) {
      ++counts[child->level];
      pending.push_back(child->code);
    }
  }
  return counts;
}

// Every (政府 款, 部门 款) pair of the catalog's crosswalk.
std::set<std::pair<std::string, std::string>> CatalogPairs(
    const Catalog& catalog) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const CatalogEntry* dept_class :
       catalog.Children(CodeSystem::kDeptEconomic, "")) {
    for (const CatalogEntry* dept :
         catalog.Children(CodeSystem::kDeptEconomic, dept_class->code)) {
      for (const std::string& gov : catalog.GovCodesFor(dept->code)) {
        pairs.emplace(gov, dept->code);
      }
    }
  }
  return pairs;
}

TEST(CatalogEditionsTest, EachFiscalYearGetsTheNearestEditionNotAfterIt) {
  const Catalog& newest = Catalog::Default();
  EXPECT_EQ(newest.edition(), 2024);
  ASSERT_NE(newest.PreviousEdition(), nullptr);
  EXPECT_EQ(newest.PreviousEdition()->edition(), 2023);
  EXPECT_EQ(newest.PreviousEdition()->PreviousEdition(), nullptr);
  EXPECT_EQ(&newest.ForFiscalYear(2024), &newest);
  EXPECT_EQ(&newest.ForFiscalYear(2026), &newest);
  EXPECT_EQ(&newest.ForFiscalYear(2023), newest.PreviousEdition());
  // Before the first edition shipped: the oldest, not nothing.
  EXPECT_EQ(&newest.ForFiscalYear(2019), newest.PreviousEdition());
  // An older edition never reaches forward.
  EXPECT_EQ(newest.PreviousEdition()->ForFiscalYear(2024).edition(), 2023);
}

// 22006 耕地保护考核奖惩基金支出 was added to the 2024 edition on 2024-03-29
// (财政部关于对2024年政府收支分类科目进行个别增补的通知).
TEST(CatalogEditionsTest, ACodeAddedIn2024IsOnlyInThe2024Edition) {
  const Catalog& newest = Catalog::Default();
  const CatalogEntry* added = newest.Find(CodeSystem::kFunction, "22006");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->name, "耕地保护考核奖惩基金支出");
  EXPECT_EQ(added->source, "supplement_2024");
  EXPECT_EQ(newest.ForFiscalYear(2023).Find(CodeSystem::kFunction, "22006"),
            nullptr);
  EXPECT_NE(newest.ForFiscalYear(2023).Find(CodeSystem::kFunction, "220"),
            nullptr);
}

// docs/catalogs.md states how many codes each list holds per edition, in
// the table between "<!-- counts begin -->" and "<!-- counts end -->":
// | list | edition | 类 | 款 | 项 | — with list one of function, dept, gov,
// crosswalk (pairs, in the 款 column) and "-" where a level does not apply.
TEST(CatalogEditionsTest, CountsMatchDocsCatalogs) {
  const std::string doc = ReadFile("docs/catalogs.md");
  const size_t begin = doc.find("<!-- counts begin -->");
  const size_t end = doc.find("<!-- counts end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::map<std::string, CodeSystem> kLists = {
      {"function", CodeSystem::kFunction},
      {"dept", CodeSystem::kDeptEconomic},
      {"gov", CodeSystem::kGovEconomic}};
  std::set<std::pair<std::string, int>> seen;
  for (absl::string_view line : absl::StrSplit(
           absl::string_view(doc).substr(begin, end - begin), '\n')) {
    std::vector<std::string> cells;
    for (absl::string_view cell : absl::StrSplit(line, '|')) {
      cells.emplace_back(absl::StripAsciiWhitespace(cell));
    }
    // "| a | b | c | d | e |" splits into 7 cells, empty at both ends.
    int year = 0;
    if (cells.size() != 7 || !absl::SimpleAtoi(cells[2], &year)) continue;
    const std::string& list = cells[1];
    const Catalog& edition = Catalog::Default().ForFiscalYear(year);
    ASSERT_EQ(edition.edition(), year) << line;
    seen.emplace(list, year);
    std::map<int, int> actual;
    if (list == "crosswalk") {
      actual[2] = static_cast<int>(CatalogPairs(edition).size());
    } else {
      ASSERT_TRUE(kLists.count(list) == 1) << line;
      actual = CountByLevel(edition, kLists.at(list));
    }
    for (int level = 1; level <= 3; ++level) {
      const std::string& stated = cells[2 + level];
      const std::string counted =
          actual.count(level) == 1 ? std::to_string(actual[level]) : "-";
      EXPECT_EQ(stated, counted) << list << " " << year << " level " << level;
    }
  }
  for (const char* list : {"function", "dept", "gov", "crosswalk"}) {
    for (int year : {2023, 2024}) {
      EXPECT_TRUE(seen.count({list, year}) == 1) << list << " " << year;
    }
  }
}

// The crosswalk holds exactly the pairs of the transcribed official table,
// in every edition: each line "政府款 name | 部门 codes", a 3-digit 部门
// code standing for every 款 of that class.
TEST(CatalogEditionsTest, CrosswalkIsTheOfficialTable) {
  const std::string table = ReadFile("data/catalog/crosswalk_table.txt");
  for (int year : {2023, 2024}) {
    const Catalog& edition = Catalog::Default().ForFiscalYear(year);
    std::set<std::pair<std::string, std::string>> printed;
    for (absl::string_view line : absl::StrSplit(table, '\n')) {
      if (line.empty() || line.front() == '#') continue;
      std::vector<absl::string_view> sides = absl::StrSplit(line, '|');
      ASSERT_EQ(sides.size(), 2u) << line;
      const std::string gov(
          std::vector<absl::string_view>(
              absl::StrSplit(absl::StripAsciiWhitespace(sides[0]), ' '))
              .front());
      ASSERT_NE(edition.Find(CodeSystem::kGovEconomic, gov), nullptr) << gov;
      for (absl::string_view dept :
           absl::StrSplit(sides[1], ' ', absl::SkipEmpty())) {
        if (dept.size() == 3) {
          const std::vector<const CatalogEntry*> members =
              edition.Children(CodeSystem::kDeptEconomic, dept);
          ASSERT_FALSE(members.empty()) << dept;
          for (const CatalogEntry* member : members) {
            printed.emplace(gov, member->code);
          }
        } else {
          ASSERT_NE(edition.Find(CodeSystem::kDeptEconomic, dept), nullptr)
              << dept;
          printed.emplace(gov, std::string(dept));
        }
      }
    }
    EXPECT_EQ(CatalogPairs(edition), printed) << year;
  }
}

// The two cases: 50303 公务用车购置 is listed and pairs with 31013;
// 50601 资本性支出（一） with every 310 款, never with a 302 款.
TEST(CatalogEditionsTest, OfficialPairsForVehiclesAndInstitutionCapital) {
  const Catalog& catalog = Catalog::Default();
  EXPECT_EQ(catalog.NameOf(CodeSystem::kGovEconomic, "50303"), "公务用车购置");
  EXPECT_THAT(catalog.GovCodesFor("31013"),
              ::testing::ElementsAre("50303", "50601"));
  EXPECT_THAT(catalog.GovCodesFor("30239"),
              ::testing::ElementsAre("50201", "50502"));
}

}  // namespace
}  // namespace budget
