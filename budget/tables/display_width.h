// Display width of UTF-8 text in a terminal or a monospaced table: CJK
// ideographs, kana, hangul and full-width forms (，：（）“”) take two
// columns, everything else one. Lets the text renderer align Chinese and
// ASCII cells. Pure functions, thread-safe.
#ifndef BUDGET_TABLES_DISPLAY_WIDTH_H_
#define BUDGET_TABLES_DISPLAY_WIDTH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace budget {

// Columns `text` occupies. Invalid UTF-8 bytes count one column each.
int DisplayWidth(absl::string_view text);

// `text` padded with spaces to `width` columns, on the right (left-aligned)
// or on the left (right-aligned). Text already wider is returned unchanged.
std::string PadRight(absl::string_view text, int width);
std::string PadLeft(absl::string_view text, int width);

}  // namespace budget

#endif  // BUDGET_TABLES_DISPLAY_WIDTH_H_
