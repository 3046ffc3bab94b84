// The reference department's publication as one HTML file: every table with
// its title and totals as printed, 第二部分 in full, self-contained, and a
// public reader's copy masked where a cleared reader's is not.
#include <string>

#include "budget/publication/html_document.h"
#include "budget/publication/part_two.h"
#include "budget/tables/table_grid.h"
#include "gtest/gtest.h"
#include "tests/publication/reference_publication.h"

namespace budget {
namespace {

using e2e_testing::ReferencePublication;
using e2e_testing::ReferenceTexts;

std::string Document(const PublicationData& data) {
  absl::StatusOr<std::vector<TextSection>> part_two =
      BuildPartTwo(data, ReferenceTexts());
  EXPECT_TRUE(part_two.ok()) << part_two.status();
  return RenderHtmlDocument(
      data, ReferenceTexts(),
      part_two.ok() ? *part_two : std::vector<TextSection>());
}

bool Has(const std::string& html, const std::string& part) {
  return html.find(part) != std::string::npos;
}

TEST(HtmlDocumentGoldenTest, HoldsEveryTableWithItsTotalsAndThePartTwoText) {
  const PublicationData data = ReferencePublication(/*cleared=*/false);
  const std::string html = Document(data);
  ASSERT_EQ(data.tables.size(), 13u);
  for (const auto& [id, table] : data.tables) {
    EXPECT_TRUE(Has(html, "<h3>预算" + id + "表 " + table.title() + "</h3>"))
        << id;
    for (const v1::TableRow& row : table.body_rows()) {
      if (row.kind() != v1::ROW_KIND_TOTAL) continue;
      for (const v1::TableCell& cell : row.cells()) {
        if (!cell.has_amount_fen()) continue;
        EXPECT_TRUE(
            Has(html, "<td class=\"amount\">" + PrintedCell(cell) + "</td>"))
            << id << " total " << PrintedCell(cell);
      }
    }
  }
  // Table 01's header spans two columns per side, as published.
  EXPECT_TRUE(Has(html, "<th colspan=\"2\">收入</th>")) << html.substr(0, 4000);
  EXPECT_TRUE(Has(html, "收入总计96,262.5万元，支出总计96,262.5万元"));
  EXPECT_TRUE(Has(html, "<h4>（四）国有资产占用情况</h4>"));
  EXPECT_TRUE(Has(html, "<style>"));
  // Self-contained: nothing to fetch.
  EXPECT_FALSE(Has(html, "<link")) << "external stylesheet";
  EXPECT_FALSE(Has(html, "src=")) << "external resource";
  EXPECT_FALSE(Has(html, "http")) << "external reference";
}

TEST(HtmlDocumentGoldenTest, APublicReaderSeesClassifiedProjectsMasked) {
  const std::string public_html =
      Document(ReferencePublication(/*cleared=*/false));
  const std::string cleared_html =
      Document(ReferencePublication(/*cleared=*/true));
  EXPECT_TRUE(Has(public_html, "<td class=\"amount\">XXXX</td>"));
  EXPECT_TRUE(Has(public_html, "涉密项目按规定不予公开"));
  EXPECT_FALSE(Has(cleared_html, "XXXX"));
  EXPECT_FALSE(Has(cleared_html, "涉密项目按规定不予公开"));
}

}  // namespace
}  // namespace budget
