#include "budget/budget_file/units_file.h"

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
                                                 absl::string_view file_name) {
  FileErrorSink errors(file_name);
  // An empty registry is written without a [unit] section, so the section
  // may be missing.
  const SectionedFile file = ReadSectionedFile(
      text, {SchemaOf(kUnit, SectionSchema::Kind::kTable, UnitColumns())},
      &errors);
  ParsedFile<std::vector<v1::Unit>> parsed;
  if (const Section* section = file.Find(kUnit)) {
    MessageReader reader(&errors, /*source_map=*/nullptr);
    for (const SectionRecord& record : section->records) {
      reader.Read(record, UnitColumns(), "", &parsed.value.emplace_back());
    }
  }
  parsed.errors = errors.TakeSorted();
  return parsed;
}

std::string FormatUnitsFile(const std::vector<v1::Unit>& units) {
  std::string out = "# Unit registry; format: docs/budget-file-format.md\n";
  const google::protobuf::RepeatedPtrField<v1::Unit> rows(units.begin(),
                                                          units.end());
  AppendMessageTable(kUnit, UnitColumns(), rows, &out);
  return out;
}

}  // namespace budget
