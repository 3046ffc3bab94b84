#include "budget/catalog/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "budget/catalog/csv_table.h"
#include "budget/catalog/embedded_files.h"

namespace budget {
namespace {

constexpr char kFunctionFile[] = "function_codes.csv";
constexpr char kDeptEconomicFile[] = "dept_economic_codes.csv";
constexpr char kGovEconomicFile[] = "gov_economic_codes.csv";
constexpr char kCrosswalkFile[] = "economic_crosswalk.csv";

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// Level number and code length of a level name; 0 when not a level the
// classification has (economic codings stop at 款).
struct Level {
  int number;
  size_t code_length;
};
Level ParseLevel(absl::string_view name, CodeSystem system) {
  if (name == "类") return {1, 3};
  if (name == "款") return {2, 5};
  if (name == "项" && system == CodeSystem::kFunction) return {3, 7};
  return {0, 0};
}

absl::StatusOr<std::string> ReadEmbedded(const std::string& name) {
  for (int i = 0; i < catalog_internal::kEmbeddedFileCount; ++i) {
    const catalog_internal::EmbeddedFile& file =
        catalog_internal::kEmbeddedFiles[i];
    if (name == file.name) {
      return std::string(reinterpret_cast<const char*>(file.data), file.size);
    }
  }
  return absl::InternalError(absl::StrCat(name, " was not embedded"));
}

}  // namespace

const std::vector<std::string>& Catalog::FileNames() {
  static const auto* names = new std::vector<std::string>{
      kFunctionFile, kDeptEconomicFile, kGovEconomicFile, kCrosswalkFile};
  return *names;
}

absl::StatusOr<Catalog> Catalog::LoadEmbedded() { return Load(ReadEmbedded); }

absl::StatusOr<Catalog> Catalog::LoadFromDirectory(absl::string_view dir) {
  const std::string directory(dir);
  return Load(
      [&directory](const std::string& name) -> absl::StatusOr<std::string> {
        const std::string path = absl::StrCat(directory, "/", name);
        std::ifstream in(path, std::ios::binary);
        if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
        std::ostringstream contents;
        contents << in.rdbuf();
        return contents.str();
      });
}

const Catalog& Catalog::Default() {
  static const Catalog* catalog = [] {
    absl::StatusOr<Catalog> loaded = LoadEmbedded();
    if (!loaded.ok()) {
      std::cerr << "embedded catalog is broken: " << loaded.status() << "\n";
      std::abort();
    }
    return new Catalog(*std::move(loaded));
  }();
  return *catalog;
}

absl::StatusOr<Catalog> Catalog::Load(const FileReader& read) {
  Catalog catalog;
  const struct {
    CodeSystem system;
    const char* file;
  } classifications[] = {{CodeSystem::kFunction, kFunctionFile},
                         {CodeSystem::kDeptEconomic, kDeptEconomicFile},
                         {CodeSystem::kGovEconomic, kGovEconomicFile}};
  for (const auto& c : classifications) {
    absl::StatusOr<std::string> text = read(c.file);
    if (!text.ok()) return text.status();
    absl::Status loaded = catalog.LoadClassification(c.system, c.file, *text);
    if (!loaded.ok()) return loaded;
  }
  absl::StatusOr<std::string> crosswalk = read(kCrosswalkFile);
  if (!crosswalk.ok()) return crosswalk.status();
  absl::Status loaded = catalog.LoadCrosswalk(kCrosswalkFile, *crosswalk);
  if (!loaded.ok()) return loaded;
  return catalog;
}

absl::Status Catalog::LoadClassification(CodeSystem system,
                                         const std::string& file_name,
                                         const std::string& text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsvTable(
      file_name, text, {"code", "name", "level", "parent_code", "source"});
  if (!records.ok()) return records.status();
  Classification& classification = system == CodeSystem::kFunction ? function_
                                   : system == CodeSystem::kDeptEconomic
                                       ? dept_economic_
                                       : gov_economic_;
  absl::flat_hash_map<std::string, int> line_of;
  for (CsvRecord& record : *records) {
    const std::string& code = record.fields[0];
    const Level level = ParseLevel(record.fields[2], system);
    const int line = record.line;
    if (level.number == 0) {
      return CsvError(file_name, line,
                      absl::StrCat("level \"", record.fields[2],
                                   "\" is not a level of this classification"));
    }
    if (!IsDigits(code) || code.size() != level.code_length) {
      return CsvError(file_name, line,
                      absl::StrCat("code \"", code, "\" is not ",
                                   level.code_length, " digits"));
    }
    const std::string expected_parent =
        level.number == 1 ? "" : code.substr(0, code.size() - 2);
    if (record.fields[3] != expected_parent) {
      return CsvError(file_name, line,
                      absl::StrCat("parent_code \"", record.fields[3],
                                   "\", expected \"", expected_parent, "\""));
    }
    if (record.fields[1].empty() || record.fields[4].empty()) {
      return CsvError(file_name, line, "name and source are required");
    }
    auto [it, inserted] = line_of.try_emplace(code, line);
    if (!inserted) {
      return CsvError(
          file_name, line,
          absl::StrCat("code ", code, " repeats line ", it->second));
    }
    classification.entries.try_emplace(
        code, CatalogEntry{code, std::move(record.fields[1]), level.number,
                           expected_parent, std::move(record.fields[4])});
  }
  for (const auto& [code, entry] : classification.entries) {
    if (!entry.parent_code.empty() &&
        !classification.entries.contains(entry.parent_code)) {
      return CsvError(file_name, line_of[code],
                      absl::StrCat("parent ", entry.parent_code, " of ", code,
                                   " is not listed"));
    }
    classification.children[entry.parent_code].push_back(code);
  }
  for (auto& [parent, codes] : classification.children) {
    std::sort(codes.begin(), codes.end());
  }
  return absl::OkStatus();
}

absl::Status Catalog::LoadCrosswalk(const std::string& file_name,
                                    const std::string& text) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsvTable(file_name, text, {"gov_code", "dept_code", "source"});
  if (!records.ok()) return records.status();
  for (const CsvRecord& record : *records) {
    const std::string& gov = record.fields[0];
    const std::string& dept = record.fields[1];
    const CatalogEntry* gov_entry = Find(CodeSystem::kGovEconomic, gov);
    const CatalogEntry* dept_entry = Find(CodeSystem::kDeptEconomic, dept);
    if (gov_entry == nullptr || gov_entry->level != 2) {
      return CsvError(
          file_name, record.line,
          absl::StrCat("gov_code ", gov, " is not a 款 of ", kGovEconomicFile));
    }
    if (dept_entry == nullptr || dept_entry->level != 2) {
      return CsvError(file_name, record.line,
                      absl::StrCat("dept_code ", dept, " is not a 款 of ",
                                   kDeptEconomicFile));
    }
    if (record.fields[2].empty()) {
      return CsvError(file_name, record.line, "source is required");
    }
    if (!crosswalk_[dept].insert(gov).second) {
      return CsvError(file_name, record.line,
                      absl::StrCat("pair ", gov, ",", dept, " repeats"));
    }
  }
  return absl::OkStatus();
}

const Catalog::Classification& Catalog::Of(CodeSystem system) const {
  switch (system) {
    case CodeSystem::kFunction:
      return function_;
    case CodeSystem::kDeptEconomic:
      return dept_economic_;
    case CodeSystem::kGovEconomic:
      break;
  }
  return gov_economic_;
}

const CatalogEntry* Catalog::Find(CodeSystem system,
                                  absl::string_view code) const {
  const auto& entries = Of(system).entries;
  auto it = entries.find(code);
  return it == entries.end() ? nullptr : &it->second;
}

absl::string_view Catalog::NameOf(CodeSystem system,
                                  absl::string_view code) const {
  const CatalogEntry* entry = Find(system, code);
  return entry == nullptr ? absl::string_view() : entry->name;
}

std::vector<const CatalogEntry*> Catalog::Children(
    CodeSystem system, absl::string_view code) const {
  const Classification& classification = Of(system);
  std::vector<const CatalogEntry*> children;
  auto it = classification.children.find(code);
  if (it == classification.children.end()) return children;
  for (const std::string& child : it->second) {
    children.push_back(&classification.entries.at(child));
  }
  return children;
}

bool Catalog::IsKnownEconomicPair(absl::string_view dept_code,
                                  absl::string_view gov_code) const {
  auto it = crosswalk_.find(dept_code);
  return it != crosswalk_.end() && it->second.contains(gov_code);
}

std::vector<std::string> Catalog::GovCodesFor(
    absl::string_view dept_code) const {
  std::vector<std::string> codes;
  auto it = crosswalk_.find(dept_code);
  if (it == crosswalk_.end()) return codes;
  codes.assign(it->second.begin(), it->second.end());
  std::sort(codes.begin(), codes.end());
  return codes;
}

bool Catalog::HasCrosswalkFor(absl::string_view dept_code) const {
  return crosswalk_.contains(dept_code);
}

}  // namespace budget
