#include "budget/publication/html_document.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

TEST(HtmlDocumentTest, LaysOutHeaderSpansAmountsMasksAndEscapesText) {
  PublicationData data;
  data.summary.set_node_name("某局<甲&乙>");
  data.summary.set_fiscal_year(2025);
  v1::DisclosureTable& table = data.tables["11"];
  table.set_table_id("11");
  table.set_title("2025 年项目支出预算表");
  table.set_node_name("某局<甲&乙>");
  table.set_unit_label("单位：万元");
  v1::TableRow* header = table.add_header_rows();
  v1::TableCell* name = header->add_cells();
  name->set_text("项目名称");
  name->set_row_span(2);
  v1::TableCell* money = header->add_cells();
  money->set_text("金额");
  money->set_column_span(2);
  v1::TableRow* row = table.add_body_rows();
  row->set_kind(v1::ROW_KIND_TOTAL);
  row->add_cells()->set_text("合计");
  row->add_cells()->set_amount_fen(1'234'567'000);  // 1,234.6 万元.
  row->add_cells()->set_masked(true);
  row->add_cells();  // Empty.
  table.add_notes("备注：\"无\"。");
  DepartmentTexts texts;
  texts.functions = {"负责<本级>工作。"};
  const std::string html =
      RenderHtmlDocument(data, texts, {{"一、说明", {"正文。"}, false}});

  EXPECT_TRUE(absl::StrContains(
      html, "<title>2025年某局&lt;甲&amp;乙&gt;部门预算</title>"));
  EXPECT_TRUE(absl::StrContains(html, "<th rowspan=\"2\">项目名称</th>"));
  EXPECT_TRUE(absl::StrContains(html, "<th colspan=\"2\">金额</th>"));
  EXPECT_TRUE(absl::StrContains(
      html,
      "<tr class=\"total\"><td>合计</td><td class=\"amount\">"
      "1,234.6</td><td class=\"amount\">XXXX</td><td></td></tr>"));
  EXPECT_TRUE(
      absl::StrContains(html, "<p class=\"notes\">备注：&quot;无&quot;。</p>"));
  EXPECT_TRUE(absl::StrContains(html, "<p>负责&lt;本级&gt;工作。</p>"));
  EXPECT_TRUE(absl::StrContains(html, "<h3>一、说明</h3>\n<p>正文。</p>"));
  EXPECT_TRUE(absl::StrContains(html, "@page landscape"));
}

// The 名词解释 defines every kind of income table 01 may print, not only
// the 财政拨款 the reference has (probe 9).
TEST(HtmlDocumentTest, GlossaryDefinesEverySourceOfIncome) {
  PublicationData data;
  data.summary.set_node_name("某局");
  data.summary.set_fiscal_year(2025);
  const std::string html = RenderHtmlDocument(data, DepartmentTexts(), {});
  for (const char* term :
       {"财政拨款收入", "事业收入", "事业单位经营收入", "财政专户管理资金",
        "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转结余"}) {
    EXPECT_TRUE(absl::StrContains(html, absl::StrCat("<dt>", term, "</dt>")))
        << term;
  }
}

// 事业单位经营支出 is explained in 第三部分 only where the figures name it.
TEST(HtmlDocumentTest, ExplainsOperatingExpenditureOnlyWhenThereIsSome) {
  PublicationData data;
  data.summary.set_node_name("某局");
  data.summary.set_fiscal_year(2025);
  const std::string term = "<dt>事业单位经营支出</dt>";
  EXPECT_FALSE(absl::StrContains(RenderHtmlDocument(data, {}, {}), term));
  data.summary.mutable_operating()->set_part_fen(1);
  EXPECT_TRUE(absl::StrContains(
      RenderHtmlDocument(data, {}, {}),
      term + "<dd>事业单位在专业业务活动及其辅助活动之外开展非独立"
             "核算经营活动发生的支出。</dd>"));
}

}  // namespace
}  // namespace budget
