// The whole publication (部门预算公开) as one self-contained HTML file: CSS
// inlined, nothing fetched, A4 print styles (text pages portrait, table
// pages landscape, table headers repeated on every printed page), the
// tables laid out as published with their multi-row headers, masked cells
// printed "XXXX". Sections: 第一部分 概况 from the department's texts,
// 第二部分 from BuildPartTwo, 第三部分 名词解释, then tables 01–13.
// Pure function; thread-safe.
#ifndef BUDGET_PUBLICATION_HTML_DOCUMENT_H_
#define BUDGET_PUBLICATION_HTML_DOCUMENT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/publication/department_texts.h"
#include "budget/publication/part_two.h"
#include "budget/publication/publication_data.h"

namespace budget {

std::string RenderHtmlDocument(const PublicationData& data,
                               const DepartmentTexts& texts,
                               const std::vector<TextSection>& part_two);

// `text` with &, <, > and " escaped for HTML text and attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_HTML_DOCUMENT_H_
