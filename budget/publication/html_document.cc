#include "budget/publication/html_document.h"

#include "absl/strings/str_cat.h"
#include "budget/tables/table_grid.h"

namespace budget {
namespace {

// Fonts the project installs from Debian (fonts-noto-cjk) come first; the
// rest are what other machines commonly have.
constexpr absl::string_view kStyle = R"css(
@page { size: A4 portrait; margin: 20mm 18mm; }
@page landscape { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC",
  "Source Han Serif SC", "SimSun", "WenQuanYi Zen Hei", serif;
  font-size: 12pt; line-height: 1.7; color: #000; margin: 0; }
h1 { text-align: center; font-size: 22pt; margin: 40mm 0 20mm; }
h2 { text-align: center; font-size: 16pt; break-before: page; }
h3 { font-size: 13pt; margin: 1em 0 0.3em; }
h4 { font-size: 12pt; margin: 0.8em 0 0.2em; }
p { text-indent: 2em; margin: 0.3em 0; }
nav ol { list-style: none; }
dt { font-weight: bold; }
section.table { page: landscape; break-before: page; }
section.table h3 { text-align: center; font-size: 14pt; }
.meta { display: flex; justify-content: space-between; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt;
  line-height: 1.3; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #000; padding: 1.5pt 3pt; }
td { overflow-wrap: anywhere; }
th { font-weight: bold; text-align: center; background: #f2f2f2; }
td.amount { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
tr.total td, tr.subtotal td { font-weight: bold; }
.notes { font-size: 9pt; text-indent: 0; }
@media screen { body { padding: 0 8mm; } }
)css";

// The 第三部分 terms: what the generated figures mean, in the words of the
// national budget rules (预算法, 部门预算编制规定) as commonly published.
struct Term {
  absl::string_view name;
  absl::string_view meaning;
  // Printed only when the department has 事业单位经营支出, so a department
  // without it prints the terms it always did.
  bool only_with_operating = false;
};
constexpr Term kTerms[] = {
    {"财政拨款收入",
     "同级财政当年拨付的资金，包括一般公共预算拨款、政府性基金预算拨款和国有"
     "资本经营预算拨款。"},
    {"事业收入", "事业单位开展专业业务活动及其辅助活动取得的收入。"},
    {"事业单位经营收入",
     "事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入"
     "。"},
    {"财政专户管理资金",
     "纳入财政专户管理、未纳入政府预算的资金，如教育收费。"},
    {"上级补助收入", "事业单位从主管部门和上级单位取得的非财政补助收入。"},
    {"附属单位上缴收入", "事业单位附属的独立核算单位按规定上缴的收入。"},
    {"其他收入", "财政拨款、事业收入、经营收入等以外的各项收入。"},
    {"上年结转结余",
     "以前年度尚未完成、结转到本年按规定继续使用的资金，以及用事业基金弥补收"
     "支差额的资金。"},
    {"基本支出",
     "为保障机构正常运转、完成日常工作任务的支出，包括人员经费和公用经费。"},
    {"项目支出",
     "在基本支出之外，为完成特定行政任务和事业发展目标所发生的支出。"},
    {"事业单位经营支出",
     "事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出"
     "。",
     true},
    {"“三公”经费",
     "用一般公共预算拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待"
     "费。"},
    {"机构运转经费",
     "行政单位和参照公务员法管理的事业单位用于保障机构正常运转的公用经费支出"
     "。"},
};

void AppendParagraphs(const std::vector<std::string>& paragraphs,
                      std::string* out) {
  for (const std::string& paragraph : paragraphs) {
    absl::StrAppend(out, "<p>", HtmlEscape(paragraph), "</p>\n");
  }
}

void AppendCell(absl::string_view tag, const v1::TableCell& cell,
                std::string* out) {
  absl::StrAppend(out, "<", tag);
  if (cell.column_span() > 1) {
    absl::StrAppend(out, " colspan=\"", cell.column_span(), "\"");
  }
  if (cell.row_span() > 1) {
    absl::StrAppend(out, " rowspan=\"", cell.row_span(), "\"");
  }
  if (cell.has_amount_fen() || cell.has_masked()) {
    absl::StrAppend(out, " class=\"amount\"");
  }
  absl::StrAppend(out, ">", HtmlEscape(PrintedCell(cell)), "</", tag, ">");
}

absl::string_view RowClass(v1::RowKind kind) {
  switch (kind) {
    case v1::ROW_KIND_TOTAL:
      return " class=\"total\"";
    case v1::ROW_KIND_SUBTOTAL:
      return " class=\"subtotal\"";
    default:
      return "";
  }
}

void AppendTable(const v1::DisclosureTable& table, std::string* out) {
  absl::StrAppend(out, "<section class=\"table\" id=\"T", table.table_id(),
                  "\">\n<h3>预算", table.table_id(), "表 ",
                  HtmlEscape(table.title()),
                  "</h3>\n<div class=\"meta\"><span>", "部门名称：",
                  HtmlEscape(table.node_name()), "</span><span>",
                  HtmlEscape(table.unit_label()), "</span></div>\n<table>\n");
  absl::StrAppend(out, "<thead>\n");
  for (const v1::TableRow& row : table.header_rows()) {
    absl::StrAppend(out, "<tr>");
    for (const v1::TableCell& cell : row.cells()) AppendCell("th", cell, out);
    absl::StrAppend(out, "</tr>\n");
  }
  absl::StrAppend(out, "</thead>\n<tbody>\n");
  for (const v1::TableRow& row : table.body_rows()) {
    absl::StrAppend(out, "<tr", RowClass(row.kind()), ">");
    for (const v1::TableCell& cell : row.cells()) AppendCell("td", cell, out);
    absl::StrAppend(out, "</tr>\n");
  }
  absl::StrAppend(out, "</tbody>\n</table>\n");
  for (const std::string& note : table.notes()) {
    absl::StrAppend(out, "<p class=\"notes\">", HtmlEscape(note), "</p>\n");
  }
  absl::StrAppend(out, "</section>\n");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderHtmlDocument(const PublicationData& data,
                               const DepartmentTexts& texts,
                               const std::vector<TextSection>& part_two) {
  const v1::Summary& summary = data.summary;
  const std::string name = HtmlEscape(summary.node_name());
  const std::string title =
      absl::StrCat(summary.fiscal_year(), "年", name, "部门预算");
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"
      "\n<title>",
      title, "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
      title, "</h1>\n<nav><ol>\n<li><a href=\"#part1\">第一部分 ", name,
      "概况</a></li>\n<li><a href=\"#part2\">第二部分 ", summary.fiscal_year(),
      "年", name,
      "部门预算情况说明</a></li>\n<li><a href=\"#part3\">第三部分 "
      "名词解释</a></li>\n<li><a href=\"#part4\">第四部分 ",
      summary.fiscal_year(), "年", name, "部门预算表</a></li>\n</ol></nav>\n");

  absl::StrAppend(&out, "<section id=\"part1\">\n<h2>第一部分 ", name,
                  "概况</h2>\n<h3>一、主要职能</h3>\n");
  AppendParagraphs(texts.functions, &out);
  absl::StrAppend(&out, "<h3>二、机构设置</h3>\n");
  AppendParagraphs(texts.organization, &out);
  absl::StrAppend(&out, "</section>\n");

  absl::StrAppend(&out, "<section id=\"part2\">\n<h2>第二部分 ",
                  summary.fiscal_year(), "年", name, "部门预算情况说明</h2>\n");
  for (const TextSection& section : part_two) {
    const char* tag = section.subsection ? "h4" : "h3";
    absl::StrAppend(&out, "<", tag, ">", HtmlEscape(section.heading), "</", tag,
                    ">\n");
    AppendParagraphs(section.paragraphs, &out);
  }
  absl::StrAppend(&out, "</section>\n");

  absl::StrAppend(&out,
                  "<section id=\"part3\">\n<h2>第三部分 名词解释</h2>\n<dl>\n");
  for (const Term& term : kTerms) {
    if (term.only_with_operating && summary.operating().part_fen() == 0) {
      continue;
    }
    absl::StrAppend(&out, "<dt>", term.name, "</dt><dd>", term.meaning,
                    "</dd>\n");
  }
  absl::StrAppend(&out, "</dl>\n</section>\n");

  absl::StrAppend(&out, "<section id=\"part4\">\n<h2>第四部分 ",
                  summary.fiscal_year(), "年", name, "部门预算表</h2>\n");
  for (const auto& [id, table] : data.tables) AppendTable(table, &out);
  absl::StrAppend(&out, "</section>\n</body>\n</html>\n");
  return out;
}

}  // namespace budget
