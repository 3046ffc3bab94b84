#include "budget/catalog/catalog.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "budget/catalog/test_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::vector<std::string> Codes(const std::vector<const CatalogEntry*>& es) {
  std::vector<std::string> codes;
  for (const CatalogEntry* e : es) codes.push_back(e->code);
  return codes;
}

TEST(CatalogTest, EmbeddedDataLoad) {
  absl::StatusOr<Catalog> catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->NameOf(CodeSystem::kFunction, "2150501"), "行政运行");
  EXPECT_EQ(&Catalog::Default(), &Catalog::Default());
}

// Every function 项 of the reference's tables 03 and 05, with the name
// printed there.
TEST(CatalogTest, ListsEveryReferenceFunctionCode) {
  const std::pair<const char*, const char*> kPrinted[] = {
      {"2080501", "行政单位离退休"},
      {"2080502", "事业单位离退休"},
      {"2080505", "机关事业单位基本养老保险缴费支出"},
      {"2089999", "其他社会保障和就业支出"},
      {"2101101", "行政单位医疗"},
      {"2101102", "事业单位医疗"},
      {"2150501", "行政运行"},
      {"2150517", "产业发展"},
      {"2150550", "事业运行"},
      {"2150801", "行政运行"},
      {"2150805", "中小企业发展专项"},
      {"2210201", "住房公积金"},
      {"2240404", "矿山安全监察事务"},
      {"2240405", "矿山应急救援事务"},
      {"2240450", "事业运行"},
      {"21505", "工业和信息产业监管"},
      {"21508", "支持中小企业发展和管理支出"},
      {"22404", "矿山安全"},
      {"215", "资源勘探工业信息等支出"},
      {"224", "灾害防治及应急管理支出"},
  };
  const Catalog& catalog = Catalog::Default();
  for (const auto& [code, name] : kPrinted) {
    EXPECT_EQ(catalog.NameOf(CodeSystem::kFunction, code), name) << code;
  }
}

TEST(CatalogTest, ListsEveryClassOfTheThreeClassifications) {
  const Catalog& catalog = Catalog::Default();
  std::vector<std::string> function_classes =
      Codes(catalog.Children(CodeSystem::kFunction, ""));
  // Table 01 lists 201 … 234 with 218, 225, 226 and 228 absent.
  EXPECT_THAT(function_classes, SizeIs(30));
  EXPECT_EQ(function_classes.front(), "201");
  EXPECT_EQ(function_classes.back(), "234");
  EXPECT_EQ(catalog.NameOf(CodeSystem::kFunction, "234"),
            "抗疫特别国债安排的支出");
  EXPECT_THAT(Codes(catalog.Children(CodeSystem::kDeptEconomic, "")),
              ElementsAre("301", "302", "303", "307", "309", "310", "311",
                          "312", "313", "399"));
  EXPECT_THAT(
      Codes(catalog.Children(CodeSystem::kGovEconomic, "")),
      ElementsAre("501", "502", "503", "504", "505", "506", "507", "508", "509",
                  "510", "511", "512", "513", "514", "599"));
}

TEST(CatalogTest, ChildrenAreInCodeOrderWithParents) {
  const Catalog& catalog = Catalog::Default();
  EXPECT_THAT(Codes(catalog.Children(CodeSystem::kFunction, "22404")),
              ElementsAre("2240401", "2240402", "2240403", "2240404", "2240405",
                          "2240450"));
  const CatalogEntry* entry = catalog.Find(CodeSystem::kGovEconomic, "50701");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->name, "费用补贴");
  EXPECT_EQ(entry->level, 2);
  EXPECT_EQ(entry->parent_code, "507");
  EXPECT_EQ(entry->source, "reference");
  EXPECT_EQ(catalog.Find(CodeSystem::kDeptEconomic, "2150501"), nullptr);
  EXPECT_EQ(catalog.NameOf(CodeSystem::kGovEconomic, "59999"), "");
}

// Every (部门, 政府) pair of the reference's tables 06 and 07.
TEST(CatalogTest, CrosswalkHoldsEveryReferencePair) {
  const std::pair<const char*, const char*> kPairs[] = {
      {"30302", "50905"}, {"30301", "50905"}, {"30108", "50102"},
      {"30112", "50102"}, {"30110", "50102"}, {"30101", "50101"},
      {"30102", "50101"}, {"30103", "50101"}, {"30305", "50901"},
      {"30239", "50201"}, {"30201", "50201"}, {"31002", "50306"},
      {"30299", "50299"}, {"30231", "50208"}, {"30226", "50205"},
      {"30228", "50201"}, {"30229", "50201"}, {"30202", "50201"},
      {"30203", "50205"}, {"30205", "50201"}, {"30206", "50201"},
      {"30207", "50201"}, {"30209", "50201"}, {"30211", "50201"},
      {"30213", "50209"}, {"30215", "50202"}, {"30216", "50203"},
      {"30217", "50206"}, {"30113", "50103"}, {"30399", "50999"},
      {"30227", "50205"}, {"31204", "50701"}, {"31007", "50306"},
      {"30309", "50901"}, {"31299", "50799"}, {"30108", "50501"},
      {"30112", "50501"}, {"30110", "50501"}, {"30101", "50501"},
      {"30102", "50501"}, {"30103", "50501"}, {"30113", "50501"},
      {"30228", "50502"}, {"30229", "50502"}, {"30231", "50502"},
      {"30299", "50502"}, {"31002", "50601"}, {"30217", "50502"},
      {"30215", "50502"}, {"30202", "50502"}, {"30201", "50502"},
      {"30213", "50502"}, {"30211", "50502"}, {"30207", "50502"},
      {"30216", "50502"}, {"30205", "50502"}, {"30206", "50502"},
      {"30226", "50502"}, {"30227", "50502"}, {"30218", "50502"},
      {"30239", "50502"}, {"30214", "50502"},
  };
  const Catalog& catalog = Catalog::Default();
  for (const auto& [dept, gov] : kPairs) {
    EXPECT_TRUE(catalog.IsKnownEconomicPair(dept, gov)) << dept << "," << gov;
    EXPECT_TRUE(catalog.HasCrosswalkFor(dept)) << dept;
  }
  EXPECT_FALSE(catalog.IsKnownEconomicPair("30101", "50201"));
  EXPECT_FALSE(catalog.IsKnownEconomicPair("31204", "50799"));
  // Listed pairs written otherwise are not listed: the same number with a
  // leading zero, a code with a letter, one too long for a digit key.
  EXPECT_FALSE(catalog.IsKnownEconomicPair("030101", "50101"));
  EXPECT_FALSE(catalog.IsKnownEconomicPair("30101", "0050101"));
  EXPECT_FALSE(catalog.IsKnownEconomicPair("3010a", "50101"));
  EXPECT_FALSE(catalog.IsKnownEconomicPair("30101", "501010000"));
  EXPECT_FALSE(catalog.HasCrosswalkFor("39999"));
  EXPECT_THAT(catalog.GovCodesFor("30101"), ElementsAre("50101", "50501"));
  EXPECT_THAT(catalog.GovCodesFor("39999"), ElementsAre());
}

TEST(CatalogTest, FundingSourceNames) {
  EXPECT_EQ(
      Catalog::FundingSourceName(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET),
      "一般公共预算");
  EXPECT_EQ(Catalog::FundingSourceName(v1::FUNDING_SOURCE_OTHER_INCOME),
            "其他收入");
  EXPECT_EQ(
      Catalog::FundingSourceName(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR),
      "上级补助收入");
  EXPECT_EQ(Catalog::FundingSourceName(v1::FUNDING_SOURCE_UNSPECIFIED), "");
}

// Tests run from the source root (budget_test's WORKING_DIRECTORY).
const char kDataDir[] = "data/catalog";

TEST(CatalogTest, DirectoryMatchesEmbeddedData) {
  absl::StatusOr<Catalog> from_disk = Catalog::LoadFromDirectory(kDataDir);
  ASSERT_TRUE(from_disk.ok()) << from_disk.status();
  const Catalog& embedded = Catalog::Default();
  for (CodeSystem system : {CodeSystem::kFunction, CodeSystem::kDeptEconomic,
                            CodeSystem::kGovEconomic}) {
    std::vector<std::string> pending = {""};
    int visited = 0;
    while (!pending.empty()) {
      const std::string code = pending.back();
      pending.pop_back();
      std::vector<std::string> disk = Codes(from_disk->Children(system, code));
      EXPECT_EQ(disk, Codes(embedded.Children(system, code))) << code;
      for (const std::string& child : disk) {
        EXPECT_EQ(from_disk->NameOf(system, child),
                  embedded.NameOf(system, child));
        pending.push_back(child);
        ++visited;
      }
    }
    EXPECT_GT(visited, 30);
  }
}

class BrokenDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = e2e_testing::MakeScratchDir();
    for (const std::string& name : Catalog::FileNames()) {
      std::filesystem::copy_file(
          std::filesystem::path(kDataDir) / name, dir_ / name,
          std::filesystem::copy_options::overwrite_existing);
    }
  }
  // Replaces the first `from` in file `name` with `to`.
  void Corrupt(const std::string& name, const std::string& from,
               const std::string& to) {
    std::string text = ReadFile(dir_ / name);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << text;
  }
  std::string LoadError() {
    absl::StatusOr<Catalog> catalog = Catalog::LoadFromDirectory(dir_.string());
    return catalog.ok() ? "loaded" : std::string(catalog.status().message());
  }
  std::filesystem::path dir_;
};

TEST_F(BrokenDirectoryTest, IntactCopyLoads) {
  EXPECT_EQ(LoadError(), "loaded");
}

TEST_F(BrokenDirectoryTest, WrongCodeLengthNamesFileAndLine) {
  // Line 2 is the first record, 201.
  Corrupt("function_codes.csv", "\n201,", "\n2011,");
  EXPECT_THAT(LoadError(), HasSubstr("function_codes.csv:2: code \"2011\""));
}

TEST_F(BrokenDirectoryTest, DuplicateCodeNamesBothLines) {
  Corrupt("gov_economic_codes.csv", "50102,社会保障缴费", "50101,社会保障缴费");
  EXPECT_THAT(LoadError(), HasSubstr("gov_economic_codes.csv:4: code 50101 "
                                     "repeats line 3"));
}

TEST_F(BrokenDirectoryTest, ParentMustBeTheCodePrefix) {
  Corrupt("dept_economic_codes.csv", "30101,基本工资,款,301",
          "30101,基本工资,款,309");
  EXPECT_THAT(LoadError(), HasSubstr("dept_economic_codes.csv:3: parent_code"));
}

TEST_F(BrokenDirectoryTest, CrosswalkCodeMustBeListed) {
  Corrupt("economic_crosswalk.csv", "\n50101,30101,", "\n50100,30101,");
  EXPECT_THAT(LoadError(),
              HasSubstr("economic_crosswalk.csv:2: gov_code 50100"));
}

TEST_F(BrokenDirectoryTest, SinceMustBeAnEditionYear) {
  Corrupt("gov_economic_codes.csv", "50101,工资奖金津补贴,款,501,2023,",
          "50101,工资奖金津补贴,款,501,2022,");
  EXPECT_THAT(LoadError(),
              HasSubstr("gov_economic_codes.csv:3: since \"2022\" is not a "
                        "year of editions.csv"));
}

TEST_F(BrokenDirectoryTest, EditionsMustIncrease) {
  Corrupt("editions.csv", "2024,", "2022,");
  EXPECT_THAT(LoadError(), HasSubstr("editions.csv:3: year \"2022\""));
}

// 50101 listed from 2023 under a 501 listed only from 2024: the 2023
// edition would hold a 款 without its 类.
TEST_F(BrokenDirectoryTest, ParentMustBeListedInEveryEditionOfTheChild) {
  Corrupt("gov_economic_codes.csv", "501,机关工资福利支出,类,,2023,",
          "501,机关工资福利支出,类,,2024,");
  EXPECT_THAT(LoadError(), HasSubstr("is not listed in edition 2023"));
}

TEST_F(BrokenDirectoryTest, MissingFileIsReported) {
  std::filesystem::remove(dir_ / "economic_crosswalk.csv");
  EXPECT_THAT(LoadError(), HasSubstr("economic_crosswalk.csv"));
}

}  // namespace
}  // namespace budget
