#include "budget/consolidation/packed_budget.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "budget/consolidation/code_pool.h"

namespace budget {

bool PackedBudget::NeedsFullLine(const v1::ExpenditureLine& line) {
  return line.transfer_kind() != v1::TRANSFER_KIND_UNSPECIFIED ||
         !line.counterpart_unit().empty() || !line.memo().empty();
}

std::vector<PackedBudget::LineFields> PackedBudget::FieldsOf(
    const v1::UnitBudget& budget) {
  std::vector<LineFields> lines;
  lines.reserve(budget.expenditures_size());
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    lines.push_back(LineFields{line.function_code(), line.dept_economic_code(),
                               line.gov_economic_code(), line.project_code(),
                               line.funding_source(), line.nature(),
                               line.amount_fen(),
                               NeedsFullLine(line) ? &line : nullptr});
  }
  return lines;
}

PackedBudget::PackedBudget(const v1::UnitBudget& budget)
    : PackedBudget(budget.unit_code(), budget.fiscal_year(), FieldsOf(budget),
                   budget.projects()) {
  income_.assign(budget.income().begin(), budget.income().end());
  other_ = budget.other();
  has_other_ = budget.has_other();
  // The particulars field by field: copying the whole budget and clearing
  // its lines would copy every line first. A field UnitBudget gains must be
  // added here and in FromWire (PackedBudgetWireTest.KnowsEveryFieldOfABudget).
  v1::UnitBudget particulars;
  particulars.set_unit_code(budget.unit_code());
  particulars.set_fiscal_year(budget.fiscal_year());
  *particulars.mutable_projects() = budget.projects();
  if (budget.has_overall_goal()) {
    *particulars.mutable_overall_goal() = budget.overall_goal();
  }
  particulars.SerializeToString(&rest_);
}

PackedBudget::PackedBudget(
    absl::string_view unit_code, int32_t fiscal_year,
    absl::Span<const LineFields> lines,
    const google::protobuf::RepeatedPtrField<v1::Project>& projects)
    : unit_code_(unit_code), fiscal_year_(fiscal_year) {
  // A budget's codes are interned in two calls, not one per code: a cold
  // start packs 20 M lines, and a lock per code was ~5 % of it. Its
  // projects' codes once per project, not per line (the longest code, on
  // ~40 % of the lines at L); the catalogs' codes, which recur in every
  // budget, mostly without the lock (CodePool::InternRecurring).
  std::vector<absl::string_view> project_texts;
  struct Declared {
    const v1::Project* project;
    size_t text;  // Index of its code in `project_texts`.
  };
  absl::flat_hash_map<absl::string_view, Declared> declared;
  for (const v1::Project& project : projects) {
    if (declared
            .try_emplace(project.code(),
                         Declared{&project, project_texts.size()})
            .second) {
      project_texts.push_back(project.code());
    }
  }
  // Per line: its project code's index in `project_texts` (kNone for none;
  // an undeclared one is added) and its declared project. Its catalog codes
  // are at 3 × its index in `catalog_texts`.
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  struct LineProject {
    size_t text;
    const v1::Project* declared;
  };
  std::vector<LineProject> line_projects;
  line_projects.reserve(lines.size());
  std::vector<absl::string_view> catalog_texts;
  catalog_texts.reserve(3 * lines.size());
  for (const LineFields& line : lines) {
    LineProject& at = line_projects.emplace_back(LineProject{kNone, nullptr});
    if (auto it = declared.find(line.project_code); it != declared.end()) {
      at = {it->second.text, it->second.project};
    } else if (!line.project_code.empty()) {
      at.text = project_texts.size();
      project_texts.push_back(line.project_code);
    }
    catalog_texts.insert(
        catalog_texts.end(),
        {line.function_code, line.dept_economic_code, line.gov_economic_code});
  }
  std::vector<Code> project_codes(project_texts.size());
  CodePool::Global().InternAll(project_texts, absl::MakeSpan(project_codes));
  std::vector<Code> catalog_codes(catalog_texts.size());
  CodePool::Global().InternRecurring(catalog_texts,
                                     absl::MakeSpan(catalog_codes));
  lines_.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const LineFields& line = lines[i];
    const LineProject& at = line_projects[i];
    const Code* codes = &catalog_codes[3 * i];
    lines_.emplace_back(
        ExpenditureKey(codes[0], codes[1], codes[2], line.source, line.nature,
                       at.text == kNone ? Code() : project_codes[at.text],
                       at.declared == nullptr ? v1::PROJECT_CATEGORY_UNSPECIFIED
                                              : at.declared->category(),
                       at.declared != nullptr && at.declared->classified()),
        line.amount_fen);
    if (line.full != nullptr) {
      full_line_index_.push_back(static_cast<uint32_t>(i));
      full_lines_.push_back(*line.full);
    }
  }
}

v1::UnitBudget PackedBudget::UnpackParticulars() const {
  v1::UnitBudget budget;
  budget.ParseFromString(rest_);  // Bytes this class wrote.
  return budget;
}

v1::UnitBudget PackedBudget::Unpack() const {
  v1::UnitBudget budget = UnpackParticulars();
  budget.mutable_expenditures()->Reserve(static_cast<int>(lines_.size()));
  for (const PackedLine& packed : lines_) {
    v1::ExpenditureLine* line = budget.add_expenditures();
    if (const v1::ExpenditureLine* full = FullFormOf(packed)) {
      *line = *full;
      continue;
    }
    const ExpenditureKey& key = packed.key;
    line->set_function_code(std::string(key.function_code()));
    line->set_dept_economic_code(std::string(key.dept_economic_code()));
    line->set_gov_economic_code(std::string(key.gov_economic_code()));
    line->set_funding_source(key.source());
    line->set_nature(key.nature());
    line->set_project_code(std::string(key.project_code()));
    line->set_amount_fen(packed.amount_fen());
  }
  for (const v1::IncomeLine& line : income_) *budget.add_income() = line;
  if (has_other_) *budget.mutable_other() = other_;
  return budget;
}

PackedBudget PackedBudget::WithoutCounterpart(
    absl::string_view counterpart) const {
  PackedBudget copy = *this;
  for (v1::ExpenditureLine& line : copy.full_lines_) {
    if (line.counterpart_unit() == counterpart) line.clear_counterpart_unit();
  }
  for (v1::IncomeLine& line : copy.income_) {
    if (line.counterpart_unit() == counterpart) line.clear_counterpart_unit();
  }
  return copy;
}

const v1::ExpenditureLine* PackedBudget::FullFormOf(
    const PackedLine& line) const {
  if (full_line_index_.empty()) return nullptr;  // Most budgets.
  const auto index = static_cast<uint32_t>(&line - lines_.data());
  auto found =
      std::lower_bound(full_line_index_.begin(), full_line_index_.end(), index);
  if (found == full_line_index_.end() || *found != index) return nullptr;
  return &full_lines_[found - full_line_index_.begin()];
}

std::optional<TransferPair> PackedBudget::TransferOf(
    const PackedLine& line) const {
  const v1::ExpenditureLine* full = FullFormOf(line);
  if (full == nullptr) return std::nullopt;
  return budget::TransferOf(*full, unit_code_);
}

}  // namespace budget
