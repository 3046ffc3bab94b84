#include "budget/budget_file/source_map.h"

#include "absl/strings/str_cat.h"

namespace budget {

void SourceMap::Add(absl::string_view field_path, int line) {
  lines_[field_path] = line;
}

int SourceMap::LineOf(absl::string_view field_path) const {
  while (!field_path.empty()) {
    if (const auto it = lines_.find(field_path); it != lines_.end()) {
      return it->second;
    }
    // The parent path ends before the last `.field` or `[index]`.
    const size_t cut = field_path.find_last_of(".[");
    if (cut == absl::string_view::npos) break;
    field_path = field_path.substr(0, cut);
  }
  return 0;
}

std::string SourceMap::Where(absl::string_view field_path) const {
  const int line = LineOf(field_path);
  return line == 0 ? file_name_ : absl::StrCat(file_name_, ":", line);
}

}  // namespace budget
