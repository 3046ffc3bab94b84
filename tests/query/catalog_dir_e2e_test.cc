// End to end: both services run on the catalogs an operator gives with
// --catalog_dir instead of the built-in ones. A copy of data/catalog with
// one 项 more (a code the built-in catalog does not list, named for the
// test) makes a budget booking it pass without BGT-E011 and table 05 print
// its name; the built-in catalog warns and prints no name. A malformed
// file stops either service at start, naming the file and line.
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/budget_file/budget_file.h"
#include "budget/tables/table_grid.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace query_test {
namespace {

namespace fs = std::filesystem;
using e2e_testing::ServiceProcess;

constexpr char kExtraCode[] = "2150598";
constexpr char kExtraName[] = "测试用科目（仅见于运维目录）";

constexpr char kBudget[] = R"([budget]
unit_code,932001
fiscal_year,2024

[income]
source,amount_yuan
GENERAL_PUBLIC_BUDGET,500000.00

[expenditure]
function_code,dept_economic_code,gov_economic_code,source,nature,amount_yuan
2150501,30101,50101,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,300000.00
2150598,30201,50201,GENERAL_PUBLIC_BUDGET,BASIC_PUBLIC,200000.00
)";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A copy of the built-in catalog files with `extra_row` appended to
// function_codes.csv.
fs::path CatalogCopy(const fs::path& scratch, const std::string& extra_row) {
  const fs::path dir = scratch / "catalog";
  fs::create_directories(dir);
  for (const char* name :
       {"editions.csv", "function_codes.csv", "dept_economic_codes.csv",
        "gov_economic_codes.csv", "economic_crosswalk.csv"}) {
    fs::copy_file(fs::path(CATALOG_DATA_DIR) / name, dir / name);
  }
  std::ofstream(dir / "function_codes.csv", std::ios::app) << extra_row;
  return dir;
}

class CatalogDirE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { scratch_ = e2e_testing::MakeScratchDir(); }
  void TearDown() override {
    query_.reset();
    ingest_.reset();
    fs::remove_all(scratch_);
  }

  std::vector<std::string> Args(const std::string& catalog_dir) const {
    std::vector<std::string> args =
        e2e_testing::StoreArgs((scratch_ / "budget.db").string());
    if (!catalog_dir.empty()) args.push_back("--catalog_dir=" + catalog_dir);
    return args;
  }

  // Starts both services, registers the department and submits kBudget;
  // returns the codes of the warnings.
  std::vector<std::string> SubmitWith(const std::string& catalog_dir) {
    ingest_ = std::make_unique<ServiceProcess>(INGEST_SERVICE_BINARY,
                                               Args(catalog_dir));
    query_ = std::make_unique<ServiceProcess>(QUERY_SERVICE_BINARY,
                                              Args(catalog_dir));
    auto ingest = budget::v1::IngestService::NewStub(ingest_->Channel());
    for (auto [code, parent, kind] :
         {std::tuple{"932", "", budget::v1::UNIT_KIND_GROUP},
          std::tuple{"932001", "932", budget::v1::UNIT_KIND_ADMINISTRATIVE}}) {
      budget::v1::RegisterUnitRequest request;
      request.mutable_unit()->set_code(code);
      request.mutable_unit()->set_name(absl::StrCat("测试目录单位", code));
      request.mutable_unit()->set_parent_code(parent);
      request.mutable_unit()->set_kind(kind);
      budget::v1::RegisterUnitResponse response;
      grpc::ClientContext context;
      grpc::Status status = ingest->RegisterUnit(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    auto parsed = budget::ParseBudgetFile(kBudget, "test.budget");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id("catalog-dir-1");
    *request.mutable_budget() = parsed.value.budget;
    budget::v1::SubmitBudgetResponse response;
    grpc::ClientContext context;
    grpc::Status status = ingest->SubmitBudget(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    revision_ = response.consolidated_revision();
    std::vector<std::string> warnings;
    for (const budget::v1::Violation& warning : response.warnings()) {
      warnings.push_back(absl::StrCat(warning.rule_id(), " ", warning.given()));
    }
    return warnings;
  }

  // The printed cells of table 05's row for kExtraCode.
  std::vector<std::string> ExtraCodeRow() {
    auto query = budget::v1::QueryService::NewStub(query_->Channel());
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code("932");
    request.set_fiscal_year(2024);
    request.set_table_id("05");
    request.mutable_read()->set_min_revision(revision_);
    budget::v1::DisclosureTable table;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Status status = query->GetDisclosureTable(&context, request, &table);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const budget::v1::TableRow& row : table.body_rows()) {
      std::vector<std::string> cells;
      for (const budget::v1::TableCell& cell : row.cells()) {
        cells.push_back(budget::PrintedCell(cell));
      }
      if (!cells.empty() && cells[0] == kExtraCode) return cells;
    }
    ADD_FAILURE() << "table 05 has no row " << kExtraCode;
    return {};
  }

  fs::path scratch_;
  std::unique_ptr<ServiceProcess> ingest_;
  std::unique_ptr<ServiceProcess> query_;
  int64_t revision_ = 0;
};

TEST_F(CatalogDirE2eTest, OperatorCatalogKnowsTheCodeAndNamesTheRow) {
  const fs::path catalog = CatalogCopy(
      scratch_,
      absl::StrCat(kExtraCode, ",", kExtraName, ",项,21505,2023,,test\n"));
  const std::vector<std::string> warnings = SubmitWith(catalog.string());
  for (const std::string& warning : warnings) {
    EXPECT_EQ(warning.find("BGT-E011"), std::string::npos) << warning;
  }
  const std::vector<std::string> row = ExtraCodeRow();
  ASSERT_GE(row.size(), 3u);
  EXPECT_EQ(row[1], kExtraName);
  EXPECT_EQ(row[2], "20.0");
}

TEST_F(CatalogDirE2eTest, BuiltInCatalogWarnsAndPrintsNoName) {
  const std::vector<std::string> warnings = SubmitWith("");
  EXPECT_NE(
      absl::StrJoin(warnings, "|").find(absl::StrCat("BGT-E011 ", kExtraCode)),
      std::string::npos)
      << absl::StrJoin(warnings, "|");
  const std::vector<std::string> row = ExtraCodeRow();
  ASSERT_GE(row.size(), 2u);
  EXPECT_EQ(row[1], "");
}

TEST_F(CatalogDirE2eTest, MalformedCatalogStopsEitherServiceAtStart) {
  const fs::path catalog =
      CatalogCopy(scratch_, "2150597,名称,项,21505,not-a-year,,test\n");
  const int bad_line = [&] {
    int lines = 0;
    for (char c : ReadAll(catalog / "function_codes.csv")) lines += c == '\n';
    return lines;
  }();
  for (const char* binary : {INGEST_SERVICE_BINARY, QUERY_SERVICE_BINARY}) {
    std::vector<std::string> args = Args(catalog.string());
    args.push_back("--listen=127.0.0.1:0");
    const fs::path err = scratch_ / "stderr.txt";
    // Bounded: a service that took the catalog would serve until killed.
    const std::string command =
        absl::StrCat("timeout 30 ", binary, " ", absl::StrJoin(args, " "),
                     " 2>", err.string(), " >/dev/null");
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << command;
    EXPECT_EQ(WEXITSTATUS(status), 1) << command;
    const std::string message = ReadAll(err);
    EXPECT_NE(message.find("--catalog_dir=" + catalog.string()),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(absl::StrCat("function_codes.csv:", bad_line)),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace query_test
