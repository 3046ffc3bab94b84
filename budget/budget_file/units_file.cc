#include "budget/budget_file/units_file.h"

#include "absl/container/flat_hash_map.h"
#include "budget/budget_file/message_columns.h"
#include "budget/budget_file/sectioned_file.h"
#include "google/protobuf/repeated_field.h"

namespace budget {
namespace {

constexpr absl::string_view kUnit = "unit";

const std::vector<Column>& UnitColumns() {
  static const auto* columns = new std::vector<Column>{
      {"code", "code", true},
      {"name", "name", true},
      {"parent_code", "parent_code"},
      {"kind", "kind", true},
  };
  return *columns;
}

}  // namespace

ParsedFile<std::vector<v1::Unit>> ParseUnitsFile(absl::string_view text,
                                                 absl::string_view file_name,
                                                 std::vector<int>* lines) {
  FileErrorSink errors(file_name);
  ParsedFile<std::vector<v1::Unit>> parsed;
  if (!CheckFileText(text, &errors)) {
    parsed.errors = errors.TakeSorted();
    return parsed;
  }
  // An empty registry is written without a [unit] section, so the section
  // may be missing.
  const SectionedFile file = ReadSectionedFile(
      text, {SchemaOf(kUnit, SectionSchema::Kind::kTable, UnitColumns())},
      &errors);
  if (const Section* section = file.Find(kUnit)) {
    MessageReader reader(&errors, /*source_map=*/nullptr);
    for (const SectionRecord& record : section->records) {
      reader.Read(record, UnitColumns(), "", &parsed.value.emplace_back());
      if (lines != nullptr) lines->push_back(record.line);
    }
  }
  parsed.errors = errors.TakeSorted();
  return parsed;
}

std::vector<size_t> ParentsFirst(const std::vector<v1::Unit>& units) {
  absl::flat_hash_map<absl::string_view, size_t> index;
  for (size_t i = 0; i < units.size(); ++i) index.emplace(units[i].code(), i);
  enum class Mark { kNone, kOnPath, kDone };
  std::vector<Mark> marks(units.size(), Mark::kNone);
  std::vector<size_t> order;
  std::vector<size_t> path;
  for (size_t start = 0; start < units.size(); ++start) {
    // Up the parents still to place, then placed from the top down.
    for (size_t at = start; marks[at] == Mark::kNone;) {
      marks[at] = Mark::kOnPath;
      path.push_back(at);
      auto parent = index.find(units[at].parent_code());
      if (parent == index.end()) break;
      at = parent->second;
    }
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      marks[*it] = Mark::kDone;
      order.push_back(*it);
    }
    path.clear();
  }
  return order;
}

std::string FormatUnitsFile(const std::vector<v1::Unit>& units) {
  std::string out = "# Unit registry; format: docs/budget-file-format.md\n";
  const google::protobuf::RepeatedPtrField<v1::Unit> rows(units.begin(),
                                                          units.end());
  AppendMessageTable(kUnit, UnitColumns(), rows, &out);
  return out;
}

}  // namespace budget
