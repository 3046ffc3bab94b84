// `budgetctl publish` against the real services loaded with the reference
// department: it writes the HTML document, the XLSX workbook and the Fiscal
// Data Package of what the query service serves, and the PDF printed from
// the HTML; the package's lines sum to the department total
// (tests/publication/check_fdp.py).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/publication/reference_publication.h"

namespace cli_test {
namespace {

class PublishTest : public CliTest {};

TEST_F(PublishTest, WritesTheDocumentTheWorkbookTheDataPackageAndThePdf) {
  const std::string revision = LoadDepartment({"2023", "2024"});
  const std::filesystem::path out = std::filesystem::path(dir_) / "site";
  CommandResult result =
      Budgetctl({"publish", "--unit", "021", "--year", "2024", "--min-revision",
                 revision, "--out", out.string(), "--texts",
                 std::string(kFixtures) + "/021-2024.texts"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  // One line per file written, each once (the PDF printer's child process
  // must not repeat buffered output).
  const std::vector<absl::string_view> lines =
      absl::StrSplit(result.out, "wrote ");
  EXPECT_EQ(lines.size() - 1, 4u) << result.out;

  const std::string html = e2e_testing::ReadWholeFile(out / "021-2024.html");
  EXPECT_NE(html.find("收入总计96,262.5万元，支出总计96,262.5万元，与2023年预算"
                      "相比，收入增加10,723.8万元，增长12.5%"),
            std::string::npos);
  EXPECT_NE(html.find("主要原因：一是项目收入增加"), std::string::npos);
  EXPECT_NE(html.find("<h3>预算13表 "), std::string::npos);

  const std::string xlsx = e2e_testing::ReadWholeFile(out / "021-2024.xlsx");
  ASSERT_GT(xlsx.size(), 4u);
  EXPECT_EQ(xlsx.substr(0, 2), "PK");  // A ZIP container, as XLSX is.

  // The package masks exactly what the reader's tables mask.
  const std::string csv =
      e2e_testing::ReadWholeFile(out / "datapackage" / "budget-lines.csv");
  EXPECT_EQ(html.find("XXXX") != std::string::npos,
            csv.find("涉密项目按规定不予公开") != std::string::npos);

  const std::string pdf = e2e_testing::ReadWholeFile(out / "021-2024.pdf");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");

  const std::string command =
      absl::StrCat(DEBIAN_PYTHON3, " tests/publication/check_fdp.py '",
                   (out / "datapackage").string(), "' 962625458.00");
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(PublishTest, ABrokenTextsFileIsRejectedWithEveryErrorAndItsLine) {
  const std::string texts = dir_ + "/bad.texts";
  std::ofstream(texts) << "[reasons]\nincom,x\n[preface]\n";
  CommandResult result =
      Budgetctl({"publish", "--unit", "021", "--year", "2024", "--out",
                 dir_ + "/site", "--texts", texts});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("bad.texts:2: FMT-E006"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("bad.texts:3: FMT-E002"), std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/site"));
}

}  // namespace
}  // namespace cli_test
