#include "budget/budget_file/budget_file.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "budget/budget_file/message_columns.h"
#include "budget/budget_file/sectioned_file.h"

namespace budget {
namespace {

using Kind = SectionSchema::Kind;

// Section names and columns of docs/budget-file-format.md.
constexpr absl::string_view kBudget = "budget";
constexpr absl::string_view kIncome = "income";
constexpr absl::string_view kExpenditure = "expenditure";
constexpr absl::string_view kProject = "project";
constexpr absl::string_view kProjectIndicator = "project_indicator";
constexpr absl::string_view kOverallGoal = "overall_goal";
constexpr absl::string_view kOverallTask = "overall_task";
constexpr absl::string_view kOverallIndicator = "overall_indicator";
constexpr absl::string_view kOther = "other";

const std::vector<Column>& BudgetKeys() {
  static const auto* keys = new std::vector<Column>{
      {"unit_code", "unit_code", true},
      {"fiscal_year", "fiscal_year", true},
  };
  return *keys;
}

const std::vector<Column>& IncomeColumns() {
  static const auto* columns = new std::vector<Column>{
      {"source", "source", true},
      {"amount_yuan", "amount_fen", true},
      {"counterpart_unit", "counterpart_unit"},
      {"memo", "memo"},
  };
  return *columns;
}

const std::vector<Column>& ExpenditureColumns() {
  static const auto* columns = new std::vector<Column>{
      {"function_code", "function_code", true},
      {"dept_economic_code", "dept_economic_code", true},
      {"gov_economic_code", "gov_economic_code", true},
      {"source", "funding_source", true},
      {"nature", "nature", true},
      {"project_code", "project_code", false, true},
      {"amount_yuan", "amount_fen", true},
      {"transfer_kind", "transfer_kind"},
      {"counterpart_unit", "counterpart_unit"},
      {"memo", "memo"},
  };
  return *columns;
}

const std::vector<Column>& ProjectColumns() {
  static const auto* columns = new std::vector<Column>{
      {"code", "code", true, true},
      {"name", "name", true},
      {"category", "category", true},
      {"classified", "classified"},
  };
  return *columns;
}

// [project_indicator] rows name their project in this column, then hold
// the IndicatorColumns.
const std::vector<Column>& ProjectCodeColumn() {
  static const auto* columns = new std::vector<Column>{
      {"project_code", "code", true, true},
  };
  return *columns;
}

const std::vector<Column>& IndicatorColumns() {
  static const auto* columns = new std::vector<Column>{
      {"level1", "level1", true},     {"level2", "level2"},
      {"level3", "level3", true},     {"target", "target", true},
      {"explanation", "explanation"},
  };
  return *columns;
}

const std::vector<Column>& OverallGoalKeys() {
  static const auto* keys = new std::vector<Column>{
      {"scope_code", "scope_code", true},
      {"annual_objective", "annual_objective"},
  };
  return *keys;
}

const std::vector<Column>& TaskColumns() {
  static const auto* columns = new std::vector<Column>{
      {"name", "name", true},
      {"content", "content"},
  };
  return *columns;
}

const std::vector<Column>& OtherKeys() {
  static const auto* keys = new std::vector<Column>{
      {"institution_operating_yuan", "institution_operating_fen"},
      {"procurement_goods_yuan", "procurement_goods_fen"},
      {"procurement_works_yuan", "procurement_works_fen"},
      {"procurement_services_yuan", "procurement_services_fen"},
      {"general_vehicles", "general_vehicles"},
      {"other_vehicles", "other_vehicles"},
      {"general_devices_over_500k", "general_devices_over_500k"},
      {"special_devices_over_1m", "special_devices_over_1m"},
  };
  return *keys;
}

const std::vector<SectionSchema>& Schemas() {
  static const auto* schemas = [] {
    auto* list = new std::vector<SectionSchema>{
        SchemaOf(kBudget, Kind::kKeyValue, BudgetKeys()),
        SchemaOf(kIncome, Kind::kTable, IncomeColumns()),
        SchemaOf(kExpenditure, Kind::kTable, ExpenditureColumns()),
        SchemaOf(kProject, Kind::kTable, ProjectColumns()),
        SchemaOf(kProjectIndicator, Kind::kTable, ProjectCodeColumn(),
                 IndicatorColumns()),
        SchemaOf(kOverallGoal, Kind::kKeyValue, OverallGoalKeys()),
        SchemaOf(kOverallTask, Kind::kTable, TaskColumns()),
        SchemaOf(kOverallIndicator, Kind::kTable, IndicatorColumns()),
        SchemaOf(kOther, Kind::kKeyValue, OtherKeys()),
    };
    list->front().must_appear = true;
    return list;
  }();
  return *schemas;
}

// Turns the sections of one file into a UnitBudget; one instance per file.
class BudgetReader {
 public:
  BudgetReader(const SectionedFile& file, FileErrorSink* errors,
               BudgetFile* out)
      : file_(file),
        errors_(*errors),
        map_(out->source_map),
        budget_(out->budget),
        reader_(errors, &out->source_map) {}

  void Read();

 private:
  // Reads a key-value section into `message` when the section is present.
  bool ReadKeyValues(absl::string_view section, const std::vector<Column>& keys,
                     absl::string_view path,
                     google::protobuf::Message* message);
  template <typename M>
  void ReadTable(absl::string_view section, const std::vector<Column>& columns,
                 absl::string_view path,
                 google::protobuf::RepeatedPtrField<M>* messages);
  void ReadProjectIndicators();
  // The sections of the overall goal other than [overall_goal] itself.
  void RejectOrphanGoalSections();

  const SectionedFile& file_;
  FileErrorSink& errors_;
  SourceMap& map_;
  v1::UnitBudget& budget_;
  MessageReader reader_;
};

void BudgetReader::Read() {
  ReadKeyValues(kBudget, BudgetKeys(), "", &budget_);
  ReadTable(kIncome, IncomeColumns(), "income", budget_.mutable_income());
  ReadTable(kExpenditure, ExpenditureColumns(), "expenditures",
            budget_.mutable_expenditures());
  ReadTable(kProject, ProjectColumns(), "projects", budget_.mutable_projects());
  ReadProjectIndicators();
  v1::OverallPerformanceGoal goal;
  if (ReadKeyValues(kOverallGoal, OverallGoalKeys(), "overall_goal", &goal)) {
    ReadTable(kOverallTask, TaskColumns(), "overall_goal.tasks",
              goal.mutable_tasks());
    ReadTable(kOverallIndicator, IndicatorColumns(), "overall_goal.indicators",
              goal.mutable_indicators());
    *budget_.mutable_overall_goal() = std::move(goal);
  } else {
    RejectOrphanGoalSections();
  }
  v1::OtherDisclosures other;
  if (ReadKeyValues(kOther, OtherKeys(), "other", &other)) {
    *budget_.mutable_other() = other;
  }
}

bool BudgetReader::ReadKeyValues(absl::string_view section,
                                 const std::vector<Column>& keys,
                                 absl::string_view path,
                                 google::protobuf::Message* message) {
  const Section* found = file_.Find(section);
  if (found == nullptr) return false;
  if (!path.empty()) map_.Add(path, found->line);
  reader_.Read(found->records.front(), keys, path, message);
  return true;
}

template <typename M>
void BudgetReader::ReadTable(absl::string_view section,
                             const std::vector<Column>& columns,
                             absl::string_view path,
                             google::protobuf::RepeatedPtrField<M>* messages) {
  const Section* found = file_.Find(section);
  if (found == nullptr) return;
  map_.Add(path, found->line);
  for (const SectionRecord& record : found->records) {
    const std::string row_path = absl::StrCat(path, "[", messages->size(), "]");
    map_.Add(row_path, record.line);
    reader_.Read(record, columns, row_path, messages->Add());
  }
}

void BudgetReader::ReadProjectIndicators() {
  const Section* found = file_.Find(kProjectIndicator);
  if (found == nullptr) return;
  // By code, the first declaration of each: one lookup per row keeps a
  // file of tens of thousands of projects linear.
  absl::flat_hash_map<std::string, int> index_of;
  for (int i = 0; i < budget_.projects_size(); ++i) {
    index_of.emplace(budget_.projects(i).code(), i);
  }
  for (const SectionRecord& record : found->records) {
    const absl::string_view given = record.Value("project_code");
    auto known = index_of.find(NormalizeProjectCode(given));
    if (known == index_of.end()) {
      errors_.Add(file_rules::kUnknownProject, record.line, "project_code",
                  given, "the code of a project listed in [project]",
                  "the indicator names a project the file does not declare");
      continue;
    }
    const int index = known->second;
    v1::Project& project = *budget_.mutable_projects(index);
    const std::string path = absl::StrCat("projects[", index, "].indicators[",
                                          project.indicators_size(), "]");
    map_.Add(path, record.line);
    reader_.Read(record, IndicatorColumns(), path, project.add_indicators());
  }
}

void BudgetReader::RejectOrphanGoalSections() {
  for (absl::string_view name : {kOverallTask, kOverallIndicator}) {
    if (const Section* orphan = file_.Find(name)) {
      errors_.Add(file_rules::kMissingSection, orphan->line, "",
                  absl::StrCat("[", name, "]"),
                  absl::StrCat("an [", kOverallGoal, "] section"),
                  "tasks and indicators of an overall goal need the goal");
    }
  }
}

std::vector<std::vector<std::string>> ProjectIndicatorRows(
    const v1::UnitBudget& budget) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::Project& project : budget.projects()) {
    for (const v1::PerformanceIndicator& indicator : project.indicators()) {
      std::vector<std::string> row =
          FormatColumns(project, ProjectCodeColumn());
      for (std::string& text : FormatColumns(indicator, IndicatorColumns())) {
        row.push_back(std::move(text));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace

ParsedFile<BudgetFile> ParseBudgetFile(absl::string_view text,
                                       absl::string_view file_name) {
  FileErrorSink errors(file_name);
  ParsedFile<BudgetFile> parsed;
  parsed.value.source_map = SourceMap(file_name);
  if (!CheckFileText(text, &errors)) {
    parsed.errors = errors.TakeSorted();
    return parsed;
  }
  const SectionedFile file = ReadSectionedFile(text, Schemas(), &errors);
  BudgetReader(file, &errors, &parsed.value).Read();
  parsed.errors = errors.TakeSorted();
  return parsed;
}

std::string FormatBudgetFile(const v1::UnitBudget& budget) {
  // The comment must stay one line whatever the unit code holds.
  const std::string unit =
      absl::StrReplaceAll(budget.unit_code(), {{"\r", " "}, {"\n", " "}});
  std::string out =
      absl::StrCat("# Budget of unit ", unit, " for ", budget.fiscal_year(),
                   "; format: docs/budget-file-format.md\n");
  AppendKeyValueSection(kBudget, BudgetKeys(), budget, &out);
  AppendMessageTable(kIncome, IncomeColumns(), budget.income(), &out);
  AppendMessageTable(kExpenditure, ExpenditureColumns(), budget.expenditures(),
                     &out);
  AppendMessageTable(kProject, ProjectColumns(), budget.projects(), &out);
  std::vector<std::string> indicator_header = ColumnNames(ProjectCodeColumn());
  for (std::string& name : ColumnNames(IndicatorColumns())) {
    indicator_header.push_back(std::move(name));
  }
  AppendTableSection(kProjectIndicator, indicator_header,
                     ProjectIndicatorRows(budget), &out);
  if (budget.has_overall_goal()) {
    const v1::OverallPerformanceGoal& goal = budget.overall_goal();
    AppendKeyValueSection(kOverallGoal, OverallGoalKeys(), goal, &out);
    AppendMessageTable(kOverallTask, TaskColumns(), goal.tasks(), &out);
    AppendMessageTable(kOverallIndicator, IndicatorColumns(), goal.indicators(),
                       &out);
  }
  if (budget.has_other()) {
    AppendKeyValueSection(kOther, OtherKeys(), budget.other(), &out);
  }
  return out;
}

}  // namespace budget
