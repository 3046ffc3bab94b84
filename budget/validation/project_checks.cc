#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

// The 项目代码 the reference prints: region (6) + year (2) + 13 more digits.
// No official text fixing the length was found, and provinces' 一体化
// systems differ, so another length is a warning (BGT-E045).
constexpr size_t kProjectCodeLength = 21;

// A project code is a key that lines refer to: non-empty, letters and
// digits only (the printed form's spaces are not part of it).
bool IsProjectKey(absl::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c));
  });
}

FieldPath ProjectPath(int index, int field, absl::string_view name) {
  return FieldPath::Element(v1::UnitBudget::kProjectsFieldNumber, "projects",
                            index, field, name);
}

// The 一级指标 a 绩效目标 is set under (财政部 项目支出核心绩效目标和指标
// 设置及取值指引, 财预〔2021〕101号), and the four column pairs of table 13.
// Another is printed under 产出指标 there, so it is named.
constexpr absl::string_view kIndicatorLevels[] = {"成本指标", "产出指标",
                                                  "效益指标", "满意度指标"};

void CheckIndicatorLevels(int index, const v1::Project& project,
                          Findings* findings) {
  for (int j = 0; j < project.indicators_size(); ++j) {
    const std::string& level1 = project.indicators(j).level1();
    if (std::find(std::begin(kIndicatorLevels), std::end(kIndicatorLevels),
                  level1) != std::end(kIndicatorLevels)) {
      continue;
    }
    findings->Add(
        rules::kIndicatorLevelUnknown,
        {absl::StrCat("projects[", index, "].indicators[", j, "].level1"),
         {v1::UnitBudget::kProjectsFieldNumber, index,
          v1::Project::kIndicatorsFieldNumber}},
        level1, "成本指标, 产出指标, 效益指标 or 满意度指标",
        "Table 13 prints an indicator under its 一级指标; this one goes under "
        "产出指标.");
  }
}

}  // namespace

void CheckProjects(const v1::UnitBudget& budget, Findings* findings) {
  // Views into `budget`, which outlives both sets: no copy of a code.
  absl::flat_hash_set<absl::string_view> used;
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    if (line.nature() == v1::EXPENDITURE_NATURE_PROJECT) {
      used.insert(line.project_code());
    }
  }
  absl::flat_hash_map<absl::string_view, int> first_index;
  for (int i = 0; i < budget.projects_size(); ++i) {
    const v1::Project& project = budget.projects(i);
    const FieldPath code_path =
        ProjectPath(i, v1::Project::kCodeFieldNumber, "code");
    if (!IsProjectKey(project.code())) {
      findings->Add(rules::kProjectCodeFormat, code_path, project.code(),
                    "letters and digits without spaces, e.g. "
                    "410100240000000051611",
                    "The project code is malformed.");
    } else if (!IsDigitCode(project.code(), kProjectCodeLength)) {
      findings->Add(rules::kProjectCodeUnusual, code_path, project.code(),
                    "21 digits, e.g. 410100240000000051611",
                    "Not the 21-digit 项目代码 form; kept as given.");
    }
    auto [it, inserted] = first_index.try_emplace(project.code(), i);
    if (!inserted) {
      findings->Add(rules::kProjectCodeDuplicate, code_path, project.code(),
                    "a code no other project has",
                    absl::StrCat("projects[", it->second,
                                 "] already declares this code."));
    } else if (!used.contains(project.code())) {
      findings->Add(rules::kProjectUnused, code_path, project.code(),
                    "at least one PROJECT line naming it",
                    "The project is declared but nothing is spent on it.");
    }
    if (project.name().empty()) {
      findings->Add(rules::kProjectNameMissing,
                    ProjectPath(i, v1::Project::kNameFieldNumber, "name"), "",
                    "the project name as published",
                    "Every project has a name.");
    }
    if (project.category() == v1::PROJECT_CATEGORY_UNSPECIFIED ||
        !v1::ProjectCategory_IsValid(project.category())) {
      findings->Add(
          rules::kProjectCategoryMissing,
          ProjectPath(i, v1::Project::kCategoryFieldNumber, "category"),
          absl::StrCat(project.category()),
          "OTHER_OPERATING or SPECIFIC_TARGET",
          "Every project is 其他运转类 or 特定目标类.");
    }
    CheckIndicatorLevels(i, project, findings);
  }
}

}  // namespace budget
