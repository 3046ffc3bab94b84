#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/utf8.h"
#include "budget/validation/checks.h"
#include "budget/validation/limits.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace budget {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The first bytes of an over-long text, cut at a character boundary, for
// the finding's "given" (the whole text would make the report as large).
std::string Excerpt(const std::string& text) {
  constexpr size_t kShown = 40;
  return absl::StrCat(text.substr(0, Utf8PrefixLength(text, kShown)), "… (",
                      text.size(), " bytes)");
}

// Where a message sits: the field (and element) of its parent that holds
// it, and the order key of the top-level element holding it. The root has
// no parent. The path text is built only for a finding: a valid budget
// visits every field of every line and should pay no string for that.
struct Location {
  const Location* parent;
  const FieldDescriptor* field;  // Null for the root.
  int index;                     // Element of a repeated field, or -1.
  std::array<int, 3> order;
};

// `field` (element `index`, or -1) of the message at `at`, as path text.
std::string PathText(const Location& at, const FieldDescriptor* field,
                     int index) {
  std::string path =
      at.parent == nullptr
          ? std::string()
          : absl::StrCat(PathText(*at.parent, at.field, at.index), ".");
  absl::StrAppend(&path, field->name());
  if (index >= 0) absl::StrAppend(&path, "[", index, "]");
  return path;
}

// Adds the findings of one text: longer than kMaxTextBytes (E091), or
// holding a control character (E094: printed raw, an escape sequence
// would drive the reader's terminal, a line break forge an output line).
// `path` is called only for a finding.
template <typename Path>
void CheckText(const std::string& text, const Path& path, Findings* findings) {
  if (text.size() > kMaxTextBytes) {
    findings->Add(rules::kTextTooLong, path(), Excerpt(text),
                  absl::StrCat("at most ", kMaxTextBytes, " bytes"),
                  "A text field this long is a mistake; shorten it.");
    return;
  }
  if (const size_t at = FirstControlCharacter(text);
      at != absl::string_view::npos) {
    findings->Add(rules::kTextControlCharacter, path(), VisibleText(text),
                  "text without control characters (C0 and C1 controls, "
                  "line breaks, tabs, bidirectional controls)",
                  absl::StrCat("A control character at byte ", at,
                               " would be printed as it is; remove it."));
  }
}

// CheckText for every string field of `message`, at any depth, except the
// expenditure lines (many, and checked field by field in CheckLimits).
void CheckTexts(const Message& message, const Location& at,
                Findings* findings) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    std::array<int, 3> order = at.order;
    // The first two levels order the finding like any other of its element.
    if (at.parent == nullptr) order = {field->number(), -1, 0};
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      const int count =
          field->is_repeated() ? reflection->FieldSize(message, field) : 1;
      for (int i = 0; i < count; ++i) {
        std::string scratch;
        const std::string& text =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i,
                                                         &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        CheckText(
            text,
            [&] {
              return FieldPath{
                  PathText(at, field, field->is_repeated() ? i : -1), order};
            },
            findings);
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (at.parent == nullptr &&
          field->number() == v1::UnitBudget::kExpendituresFieldNumber) {
        continue;
      }
      if (!field->is_repeated()) {
        CheckTexts(reflection->GetMessage(message, field),
                   {&at, field, -1, order}, findings);
        continue;
      }
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        std::array<int, 3> element_order = order;
        if (at.parent == nullptr) element_order = {field->number(), i, 0};
        CheckTexts(reflection->GetRepeatedMessage(message, field, i),
                   {&at, field, i, element_order}, findings);
      }
    }
  }
}

// CheckText for each string field of each expenditure line, without
// reflection: a budget has up to kMaxExpenditureLines of them.
void CheckLineTexts(const v1::UnitBudget& budget, Findings* findings) {
  using L = v1::ExpenditureLine;
  for (int i = 0; i < budget.expenditures_size(); ++i) {
    const L& line = budget.expenditures(i);
    for (const auto& [number, name, text] :
         {std::tuple<int, absl::string_view, const std::string*>{
              L::kFunctionCodeFieldNumber, "function_code",
              &line.function_code()},
          {L::kDeptEconomicCodeFieldNumber, "dept_economic_code",
           &line.dept_economic_code()},
          {L::kGovEconomicCodeFieldNumber, "gov_economic_code",
           &line.gov_economic_code()},
          {L::kProjectCodeFieldNumber, "project_code", &line.project_code()},
          {L::kCounterpartUnitFieldNumber, "counterpart_unit",
           &line.counterpart_unit()},
          {L::kMemoFieldNumber, "memo", &line.memo()}}) {
      CheckText(
          *text,
          [&, number = number, name = name] {
            return FieldPath::Element(v1::UnitBudget::kExpendituresFieldNumber,
                                      "expenditures", i, number, name);
          },
          findings);
    }
  }
}

// Adds a kListTooLong finding when `size` exceeds `limit`; true if it did.
bool OverLimit(int size, int limit, const FieldPath& path, Findings* findings) {
  if (size <= limit) return false;
  findings->Add(rules::kListTooLong, path, absl::StrCat(size, " elements"),
                absl::StrCat("at most ", limit),
                "The list is longer than any real budget needs; split the "
                "budget or check how the file was produced.");
  return true;
}

}  // namespace

bool CheckLimits(const v1::UnitBudget& budget, Findings* findings) {
  using B = v1::UnitBudget;
  bool over = false;
  over |= OverLimit(budget.income_size(), kMaxIncomeLines,
                    FieldPath::Top(B::kIncomeFieldNumber, "income"), findings);
  over |= OverLimit(budget.expenditures_size(), kMaxExpenditureLines,
                    FieldPath::Top(B::kExpendituresFieldNumber, "expenditures"),
                    findings);
  const bool too_many_projects =
      OverLimit(budget.projects_size(), kMaxProjects,
                FieldPath::Top(B::kProjectsFieldNumber, "projects"), findings);
  over |= too_many_projects;
  for (int i = 0; !too_many_projects && i < budget.projects_size(); ++i) {
    over |= OverLimit(
        budget.projects(i).indicators_size(), kMaxIndicators,
        FieldPath::Element(B::kProjectsFieldNumber, "projects", i,
                           v1::Project::kIndicatorsFieldNumber, "indicators"),
        findings);
  }
  const FieldPath goal =
      FieldPath::Top(B::kOverallGoalFieldNumber, "overall_goal");
  over |= OverLimit(budget.overall_goal().tasks_size(), kMaxGoalTasks,
                    {absl::StrCat(goal.text, ".tasks"), goal.order}, findings);
  over |=
      OverLimit(budget.overall_goal().indicators_size(), kMaxIndicators,
                {absl::StrCat(goal.text, ".indicators"), goal.order}, findings);
  if (over) return false;
  CheckTexts(budget, {nullptr, nullptr, -1, {0, -1, 0}}, findings);
  CheckLineTexts(budget, findings);
  return true;
}

}  // namespace budget
