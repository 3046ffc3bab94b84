// Every golden department (each fixtures/<slug>/ with a golden.cfg, see
// golden_manifest.h) goes in as a new user's would: the real ingest_service
// and query_service on loopback, the units and every budget file through
// the real budgetctl (no fatal finding; warnings are printed), then every
// table the document prints read through the query service and compared
// with the published cells in expected/, only the cells listed in
// expected/known_differences.tsv allowed to differ; and the summary figures
// the manifest names (the document's 情况说明) read through GetSummary.
//
// A fixture folder with a golden.cfg is picked up without rebuilding.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/cli/processes.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/golden/golden_manifest.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace golden {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_ROOT;

// Folder names under fixtures/ that hold a golden.cfg, sorted.
std::vector<std::string> Departments() {
  std::vector<std::string> slugs;
  for (const fs::directory_entry& entry : fs::directory_iterator(kFixtures)) {
    if (fs::exists(entry.path() / "golden.cfg")) {
      slugs.push_back(entry.path().filename().string());
    }
  }
  std::sort(slugs.begin(), slugs.end());
  return slugs;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The budget files of `years`, by year, then by name.
std::vector<std::string> BudgetFiles(const fs::path& dir,
                                     const std::vector<int>& years) {
  std::vector<std::string> all;
  for (int year : years) {
    const fs::path folder = dir / std::to_string(year);
    if (!fs::is_directory(folder)) {
      ADD_FAILURE() << folder << ": no such folder (golden.cfg submit_years)";
      continue;
    }
    std::vector<std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() == ".budget") {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

// The highest "consolidated revision N" budgetctl reported.
int64_t LastRevision(const std::string& text) {
  static const std::regex kRevision("consolidated revision ([0-9]+)");
  int64_t last = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), kRevision), end;
       it != end; ++it) {
    last = std::max<int64_t>(last, std::stoll((*it)[1].str()));
  }
  return last;
}

// The amount `field` names in `summary`: the int64 `<field>_fen`, or the
// change_fen of the Change `<field>` (income_change, ...).
absl::StatusOr<int64_t> SummaryFen(const budget::v1::Summary& summary,
                                   const std::string& field) {
  const google::protobuf::Descriptor* type = summary.GetDescriptor();
  const google::protobuf::Reflection* reflection = summary.GetReflection();
  if (const google::protobuf::FieldDescriptor* total =
          type->FindFieldByName(field + "_fen");
      total != nullptr &&
      total->type() == google::protobuf::FieldDescriptor::TYPE_INT64) {
    return reflection->GetInt64(summary, total);
  }
  const google::protobuf::FieldDescriptor* change =
      type->FindFieldByName(field);
  if (change != nullptr &&
      change->message_type() == budget::v1::Change::descriptor()) {
    const auto& value = static_cast<const budget::v1::Change&>(
        reflection->GetMessage(summary, change));
    return value.change_fen();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("golden.cfg: summary has no amount '", field, "'"));
}

// A client context that gives up after 30 s.
std::unique_ptr<grpc::ClientContext> Deadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

// A read request (GetDisclosureTable, GetSummary) for `target`, waiting for
// the consolidated `revision`.
template <typename Request>
Request ReadOf(const ManifestTarget& target, int64_t revision) {
  Request request;
  request.set_node_code(target.node);
  request.set_fiscal_year(target.year);
  request.mutable_read()->set_min_revision(revision);
  return request;
}

class DepartmentsE2eTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DepartmentsE2eTest, ReproducesEveryPrintedTable) {
  const fs::path dir = kFixtures / GetParam();
  absl::StatusOr<Manifest> manifest =
      ParseManifest(ReadFile(dir / "golden.cfg"));
  ASSERT_TRUE(manifest.ok()) << manifest.status();

  const std::string scratch = e2e_testing::MakeScratchDir().string();
  const std::vector<std::string> store =
      e2e_testing::StoreArgs(scratch + "/budget.db");
  e2e_testing::ServiceProcess ingest(INGEST_SERVICE_BINARY, store);
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, store);
  ASSERT_FALSE(ingest.address().empty());
  ASSERT_FALSE(query.address().empty());
  auto budgetctl = [&](std::vector<std::string> args) {
    args.push_back("--ingest=" + ingest.address());
    args.push_back("--query=" + query.address());
    return cli_test::RunBudgetctl(args, scratch);
  };

  cli_test::CommandResult units =
      budgetctl({"units", "import", (dir / "units.units").string()});
  ASSERT_EQ(units.exit_code, 0) << units.out << units.err;
  std::vector<std::string> submit = {"submit"};
  for (const std::string& file : BudgetFiles(dir, manifest->submit_years)) {
    submit.push_back(file);
  }
  ASSERT_GT(submit.size(), 1u) << "no budget files";
  cli_test::CommandResult submitted = budgetctl(submit);
  // Warnings are allowed; they go to stdout with the acceptances.
  std::cout << submitted.out;
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_EQ(submitted.err.find("fatal"), std::string::npos) << submitted.err;
  const int64_t revision = LastRevision(submitted.out);
  ASSERT_GT(revision, 0) << submitted.out;

  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  for (const ManifestTable& wanted : manifest->tables) {
    SCOPED_TRACE(absl::StrCat("table ", wanted.id, " of ", wanted.target.node,
                              " ", wanted.target.year));
    auto request =
        ReadOf<budget::v1::GetDisclosureTableRequest>(wanted.target, revision);
    request.set_table_id(wanted.id);
    budget::v1::DisclosureTable table;
    grpc::Status status =
        stub->GetDisclosureTable(Deadline().get(), request, &table);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const std::vector<std::string> problems =
        expected_tables::CompareWithExpected(
            table, (dir / wanted.expected_dir).string(), wanted.target.options);
    EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  }
  for (const ManifestSummary& wanted : manifest->summaries) {
    SCOPED_TRACE(absl::StrCat("summary ", wanted.field, " of ",
                              wanted.target.node, " ", wanted.target.year));
    budget::v1::Summary summary;
    grpc::Status status = stub->GetSummary(
        Deadline().get(),
        ReadOf<budget::v1::GetSummaryRequest>(wanted.target, revision),
        &summary);
    ASSERT_TRUE(status.ok()) << status.error_message();
    absl::StatusOr<int64_t> fen = SummaryFen(summary, wanted.field);
    ASSERT_TRUE(fen.ok()) << fen.status();
    std::string reproduced;
    EXPECT_TRUE(expected_tables::SamePrintedAmount(
        wanted.printed, *fen, wanted.target.options, &reproduced))
        << "printed '" << wanted.printed << "', got '" << reproduced << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DepartmentsE2eTest,
                         ::testing::ValuesIn(Departments()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return absl::StrReplaceAll(info.param, {{"-", "_"}});
                         });

}  // namespace
}  // namespace golden
