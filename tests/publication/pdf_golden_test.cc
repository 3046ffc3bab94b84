// The reference department's HTML document printed by headless Chromium:
// the PDF's text (pdftotext, Debian poppler-utils) holds every amount of
// every table's 合计 row as printed, and a PNG of page one is left in the
// build tree (publication/021-2024-page1.png) for a person to look at.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "budget/publication/html_document.h"
#include "budget/publication/part_two.h"
#include "budget/tables/table_grid.h"
#include "budgetctl/pdf_printer.h"
#include "gtest/gtest.h"
#include "tests/publication/reference_publication.h"
#include "tests/testing/scratch_dir.h"

namespace budget {
namespace {

TEST(PdfGoldenTest, ThePrintedDocumentHoldsEveryTablesTotals) {
  const std::filesystem::path dir = e2e_testing::MakeScratchDir();
  const PublicationData data = e2e_testing::ReferencePublication(false);
  absl::StatusOr<std::vector<TextSection>> part_two =
      BuildPartTwo(data, e2e_testing::ReferenceTexts());
  ASSERT_TRUE(part_two.ok()) << part_two.status();
  const std::string html = (dir / "021-2024.html").string();
  std::ofstream(html) << RenderHtmlDocument(data, e2e_testing::ReferenceTexts(),
                                            *part_two);
  const std::string pdf = (dir / "021-2024.pdf").string();
  absl::Status printed = budgetctl::PrintHtmlToPdf(html, pdf);
  ASSERT_TRUE(printed.ok()) << printed;

  const std::string text = (dir / "021-2024.txt").string();
  ASSERT_EQ(
      std::system(
          absl::StrCat("pdftotext -layout '", pdf, "' '", text, "'").c_str()),
      0);
  const std::string printed_text = e2e_testing::ReadWholeFile(text);
  int totals = 0;
  for (const auto& [id, table] : data.tables) {
    for (const v1::TableRow& row : table.body_rows()) {
      if (row.kind() != v1::ROW_KIND_TOTAL) continue;
      for (const v1::TableCell& cell : row.cells()) {
        if (!cell.has_amount_fen()) continue;
        ++totals;
        EXPECT_NE(printed_text.find(PrintedCell(cell)), std::string::npos)
            << "table " << id << " total " << PrintedCell(cell);
      }
    }
  }
  EXPECT_GT(totals, 20);
  EXPECT_NE(printed_text.find("第二部分"), std::string::npos)
      << "Chinese text did not come through";

  const std::filesystem::path shots = PUBLICATION_OUTPUT_DIR;
  std::filesystem::create_directories(shots);
  const std::string png = (shots / "021-2024-page1.png").string();
  absl::Status shot = budgetctl::ScreenshotHtml(html, png);
  ASSERT_TRUE(shot.ok()) << shot;
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
}

}  // namespace
}  // namespace budget
