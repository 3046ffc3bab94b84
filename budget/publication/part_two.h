// 第二部分 情况说明: the explanatory text of a department budget, generated
// from its figures (v1::Summary and the disclosure tables) in the sentences
// the published documents use, with year-over-year amounts, percentages and
// shares. A figure that is zero takes the published "…年无…" form. The
// department's own words (the reasons of changes, notes) come from
// DepartmentTexts; what it did not supply is left out. Pure functions,
// thread-safe.
#ifndef BUDGET_PUBLICATION_PART_TWO_H_
#define BUDGET_PUBLICATION_PART_TWO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "budget/publication/department_texts.h"
#include "budget/publication/publication_data.h"

namespace budget {

// A numbered section ("一、收入支出预算总体情况说明") or sub-section
// ("（一）…"), its paragraphs in order.
struct TextSection {
  std::string heading;
  std::vector<std::string> paragraphs;
  bool subsection = false;
};

// OUT_OF_RANGE when a sum of figures overflows.
absl::StatusOr<std::vector<TextSection>> BuildPartTwo(
    const PublicationData& data, const DepartmentTexts& texts);

// The sections as plain text: the part's title line, then each heading and
// paragraph on its own line, a blank line between them.
std::string RenderPartTwoText(const v1::Summary& summary,
                              const std::vector<TextSection>& sections);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_PART_TWO_H_
