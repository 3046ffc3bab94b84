#include "budget/catalog/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "budget/catalog/csv_table.h"
#include "budget/catalog/embedded_files.h"

namespace budget {
namespace {

constexpr char kEditionsFile[] = "editions.csv";
constexpr char kFunctionFile[] = "function_codes.csv";
constexpr char kDeptEconomicFile[] = "dept_economic_codes.csv";
constexpr char kGovEconomicFile[] = "gov_economic_codes.csv";
constexpr char kCrosswalkFile[] = "economic_crosswalk.csv";

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// A code of up to 8 digits as a number that keeps its length ("01" is not
// "1"), for keys hashed as integers; nullopt for any other code.
std::optional<uint64_t> DigitKey(absl::string_view code) {
  if (code.empty() || code.size() > 8) return std::nullopt;
  uint64_t number = 0;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return number * 16 + code.size();  // < 2^31.
}

// The key of a pair of DigitKeys in Catalog::digit_pairs_.
uint64_t PairKey(uint64_t dept_key, uint64_t gov_key) {
  return dept_key << 32 | gov_key;
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
      kEditionsFile, kFunctionFile, kDeptEconomicFile, kGovEconomicFile,
      kCrosswalkFile};
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

const Catalog& Catalog::ForFiscalYear(int fiscal_year) const {
  const Catalog* edition = this;
  while (edition->edition_ > fiscal_year && edition->previous_ != nullptr) {
    edition = edition->previous_.get();
  }
  return *edition;
}

struct Catalog::Files {
  std::vector<int> editions;
  std::vector<EditionRecord> classifications[3];  // In CodeSystem order.
  std::vector<EditionRecord> crosswalk;
};

namespace {

constexpr CodeSystem kSystems[] = {
    CodeSystem::kFunction, CodeSystem::kDeptEconomic, CodeSystem::kGovEconomic};
constexpr const char* kClassificationFiles[] = {
    kFunctionFile, kDeptEconomicFile, kGovEconomicFile};

// Columns of the classification files and of the crosswalk.
enum { kCode, kName, kLevel, kParent, kSince, kUntil, kSource };
enum { kGovCode, kDeptCode, kPairSince, kPairUntil, kPairSource };

// Checks what a classification row says of itself, whatever its editions.
absl::Status CheckCodeRow(CodeSystem system, absl::string_view file_name,
                          const CsvRecord& record) {
  const std::vector<std::string>& fields = record.fields;
  const Level level = ParseLevel(fields[kLevel], system);
  if (level.number == 0) {
    return CsvError(file_name, record.line,
                    absl::StrCat("level \"", fields[kLevel],
                                 "\" is not a level of this classification"));
  }
  const std::string& code = fields[kCode];
  if (!IsDigits(code) || code.size() != level.code_length) {
    return CsvError(file_name, record.line,
                    absl::StrCat("code \"", code, "\" is not ",
                                 level.code_length, " digits"));
  }
  const std::string expected_parent =
      level.number == 1 ? "" : code.substr(0, code.size() - 2);
  if (fields[kParent] != expected_parent) {
    return CsvError(file_name, record.line,
                    absl::StrCat("parent_code \"", fields[kParent],
                                 "\", expected \"", expected_parent, "\""));
  }
  if (fields[kName].empty() || fields[kSource].empty()) {
    return CsvError(file_name, record.line, "name and source are required");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Catalog> Catalog::Load(const FileReader& read) {
  Files files;
  absl::StatusOr<std::string> editions = read(kEditionsFile);
  if (!editions.ok()) return editions.status();
  absl::StatusOr<std::vector<int>> years =
      ParseEditions(kEditionsFile, *editions);
  if (!years.ok()) return years.status();
  files.editions = *std::move(years);
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::string> text = read(kClassificationFiles[i]);
    if (!text.ok()) return text.status();
    absl::StatusOr<std::vector<EditionRecord>> rows = ParseEditionTable(
        kClassificationFiles[i], *text,
        {"code", "name", "level", "parent_code", "since", "until", "source"},
        files.editions);
    if (!rows.ok()) return rows.status();
    for (const EditionRecord& row : *rows) {
      absl::Status checked =
          CheckCodeRow(kSystems[i], kClassificationFiles[i], row.record);
      if (!checked.ok()) return checked;
    }
    files.classifications[i] = *std::move(rows);
  }
  absl::StatusOr<std::string> crosswalk = read(kCrosswalkFile);
  if (!crosswalk.ok()) return crosswalk.status();
  absl::StatusOr<std::vector<EditionRecord>> pairs = ParseEditionTable(
      kCrosswalkFile, *crosswalk,
      {"gov_code", "dept_code", "since", "until", "source"}, files.editions);
  if (!pairs.ok()) return pairs.status();
  files.crosswalk = *std::move(pairs);

  std::shared_ptr<const Catalog> previous;
  for (size_t i = 0; i + 1 < files.editions.size(); ++i) {
    absl::StatusOr<Catalog> edition =
        BuildEdition(files, files.editions[i], std::move(previous));
    if (!edition.ok()) return edition.status();
    previous = std::make_shared<const Catalog>(*std::move(edition));
  }
  return BuildEdition(files, files.editions.back(), std::move(previous));
}

absl::StatusOr<Catalog> Catalog::BuildEdition(
    const Files& files, int year, std::shared_ptr<const Catalog> previous) {
  Catalog catalog;
  catalog.edition_ = year;
  catalog.previous_ = std::move(previous);
  for (int i = 0; i < 3; ++i) {
    absl::Status added = catalog.AddClassification(
        kSystems[i], kClassificationFiles[i], files.classifications[i]);
    if (!added.ok()) return added;
  }
  absl::Status added = catalog.AddCrosswalk(kCrosswalkFile, files.crosswalk);
  if (!added.ok()) return added;
  return catalog;
}

absl::Status Catalog::AddClassification(
    CodeSystem system, const std::string& file_name,
    const std::vector<EditionRecord>& rows) {
  Classification& classification = system == CodeSystem::kFunction ? function_
                                   : system == CodeSystem::kDeptEconomic
                                       ? dept_economic_
                                       : gov_economic_;
  absl::flat_hash_map<std::string, int> line_of;
  for (const EditionRecord& row : rows) {
    if (!row.InEdition(edition_)) continue;
    const std::vector<std::string>& fields = row.record.fields;
    const std::string& code = fields[kCode];
    auto [it, inserted] = line_of.try_emplace(code, row.record.line);
    if (!inserted) {
      return CsvError(file_name, row.record.line,
                      absl::StrCat("code ", code, " repeats line ", it->second,
                                   " in edition ", edition_));
    }
    const int level = ParseLevel(fields[kLevel], system).number;
    classification.entries.try_emplace(
        code, CatalogEntry{code, fields[kName], level,
                           level == 1 ? "" : code.substr(0, code.size() - 2),
                           fields[kSource]});
  }
  for (const auto& [code, entry] : classification.entries) {
    if (!entry.parent_code.empty() &&
        !classification.entries.contains(entry.parent_code)) {
      return CsvError(file_name, line_of[code],
                      absl::StrCat("parent ", entry.parent_code, " of ", code,
                                   " is not listed in edition ", edition_));
    }
    classification.children[entry.parent_code].push_back(code);
  }
  for (auto& [parent, codes] : classification.children) {
    std::sort(codes.begin(), codes.end());
  }
  return absl::OkStatus();
}

absl::Status Catalog::AddCrosswalk(const std::string& file_name,
                                   const std::vector<EditionRecord>& rows) {
  for (const EditionRecord& row : rows) {
    if (!row.InEdition(edition_)) continue;
    const CsvRecord& record = row.record;
    const std::string& gov = record.fields[kGovCode];
    const std::string& dept = record.fields[kDeptCode];
    const CatalogEntry* gov_entry = Find(CodeSystem::kGovEconomic, gov);
    const CatalogEntry* dept_entry = Find(CodeSystem::kDeptEconomic, dept);
    if (gov_entry == nullptr || gov_entry->level != 2) {
      return CsvError(file_name, record.line,
                      absl::StrCat("gov_code ", gov, " is not a 款 of ",
                                   kGovEconomicFile, " in edition ", edition_));
    }
    if (dept_entry == nullptr || dept_entry->level != 2) {
      return CsvError(
          file_name, record.line,
          absl::StrCat("dept_code ", dept, " is not a 款 of ",
                       kDeptEconomicFile, " in edition ", edition_));
    }
    if (record.fields[kPairSource].empty()) {
      return CsvError(file_name, record.line, "source is required");
    }
    if (!crosswalk_[dept].insert(gov).second) {
      return CsvError(file_name, record.line,
                      absl::StrCat("pair ", gov, ",", dept, " repeats"));
    }
    const std::optional<uint64_t> dept_key = DigitKey(dept);
    const std::optional<uint64_t> gov_key = DigitKey(gov);
    if (dept_key.has_value() && gov_key.has_value()) {
      digit_pairs_.insert(PairKey(*dept_key, *gov_key));
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
  // A code retired in this edition keeps the name it last had: budgets may
  // book it (BGT-E016..E018 are warnings), and a blank 科目名称 would print.
  for (const Catalog* edition = this; edition != nullptr;
       edition = edition->previous_.get()) {
    if (const CatalogEntry* entry = edition->Find(system, code)) {
      return entry->name;
    }
  }
  return absl::string_view();
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
  // Every pair of such codes is in digit_pairs_ too, and no other pair can
  // equal one of them.
  const std::optional<uint64_t> dept_key = DigitKey(dept_code);
  const std::optional<uint64_t> gov_key = DigitKey(gov_code);
  if (dept_key.has_value() && gov_key.has_value()) {
    return digit_pairs_.contains(PairKey(*dept_key, *gov_key));
  }
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
