#include "budget/publication/department_texts.h"

#include "absl/strings/strip.h"
#include "budget/budget_file/sectioned_file.h"

namespace budget {
namespace {

const std::vector<std::string>& ReasonKeys() {
  static const auto* keys = new std::vector<std::string>{
      "income",           "expenditure",      "general_public_budget",
      "three_public",     "outbound_travel",  "reception",
      "vehicle_purchase", "vehicle_operation"};
  return *keys;
}

const std::vector<std::string>& NoteKeys() {
  static const auto* keys = new std::vector<std::string>{
      "other_vehicles", "performance", "special_transfers"};
  return *keys;
}

std::vector<SectionSchema> Schemas() {
  using Kind = SectionSchema::Kind;
  return {{"functions", Kind::kTable, {"text"}, {}},
          {"organization", Kind::kTable, {"text"}, {}},
          {"reasons", Kind::kKeyValue, {}, ReasonKeys()},
          {"notes", Kind::kKeyValue, {}, NoteKeys()}};
}

std::vector<std::string> Paragraphs(const SectionedFile& file,
                                    absl::string_view section) {
  std::vector<std::string> paragraphs;
  if (const Section* found = file.Find(section)) {
    for (const SectionRecord& record : found->records) {
      paragraphs.emplace_back(record.Value("text"));
    }
  }
  return paragraphs;
}

absl::flat_hash_map<std::string, std::string> Values(
    const SectionedFile& file, absl::string_view section,
    const std::vector<std::string>& keys) {
  absl::flat_hash_map<std::string, std::string> values;
  const Section* found = file.Find(section);
  if (found == nullptr || found->records.empty()) return values;
  for (const std::string& key : keys) {
    const absl::string_view value = found->records.front().Value(key);
    if (!value.empty()) values.emplace(key, std::string(value));
  }
  return values;
}

std::string Lookup(const absl::flat_hash_map<std::string, std::string>& map,
                   absl::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? "" : it->second;
}

}  // namespace

std::string DepartmentTexts::Reason(absl::string_view key) const {
  // The generated sentence closes itself; a reason written as a full
  // sentence must not end it twice.
  std::string reason = Lookup(reasons, key);
  absl::string_view trimmed = reason;
  absl::ConsumeSuffix(&trimmed, "。");
  return std::string(trimmed);
}

std::string DepartmentTexts::Note(absl::string_view key) const {
  return Lookup(notes, key);
}

ParsedFile<DepartmentTexts> ParseDepartmentTexts(absl::string_view text,
                                                 absl::string_view file_name) {
  FileErrorSink errors(file_name);
  const SectionedFile file = ReadSectionedFile(text, Schemas(), &errors);
  ParsedFile<DepartmentTexts> parsed;
  parsed.value.functions = Paragraphs(file, "functions");
  parsed.value.organization = Paragraphs(file, "organization");
  parsed.value.reasons = Values(file, "reasons", ReasonKeys());
  parsed.value.notes = Values(file, "notes", NoteKeys());
  parsed.errors = errors.TakeSorted();
  return parsed;
}

}  // namespace budget
