#include "budget/publication/fiscal_data_package.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "budget/budget_file/csv.h"
#include "budget/budget_file/enum_text.h"
#include "budget/money.h"

namespace budget {
namespace {

constexpr char kClassifiedName[] = "涉密项目按规定不予公开";

// Columns in file order: name, FDP type, description.
struct Field {
  const char* name;
  const char* type;
  const char* title;
};
constexpr Field kFields[] = {
    {"unit_code", "string", "预算单位编码"},
    {"unit_name", "string", "预算单位名称"},
    {"function_code", "string", "支出功能分类科目编码"},
    {"dept_economic_code", "string", "部门预算支出经济分类科目编码"},
    {"gov_economic_code", "string", "政府预算支出经济分类科目编码"},
    {"funding_source", "string", "资金来源"},
    {"nature", "string",
     "支出性质（人员经费、公用经费、项目支出、事业单位经营支出）"},
    {"project_code", "string", "项目编码"},
    {"project_name", "string", "项目名称"},
    {"amount", "number", "金额（元）"},
    {"transfer_kind", "string",
     "单位间转移（对附属单位补助支出、上缴上级支出）；空为本部门对外支出"},
    {"counterpart_unit", "string", "转移的对方单位编码"},
};

// A JSON string literal.
std::string Json(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Format(const google::protobuf::EnumDescriptor* type, int value) {
  return EnumTextFor(type).Format(value);
}

}  // namespace

absl::StatusOr<std::string> BudgetLinesCsv(const FiscalDataInput& input) {
  absl::flat_hash_map<std::string, std::string> names;
  for (const v1::Unit& unit : input.units) names[unit.code()] = unit.name();
  auto name_of = [&](const std::string& code) {
    auto it = names.find(code);
    return it == names.end() ? code : it->second;
  };
  std::vector<std::string> header;
  for (const Field& field : kFields) header.push_back(field.name);
  std::string out = CsvRecord(header) + "\n";
  for (const v1::UnitBudget& budget : input.budgets) {
    absl::flat_hash_map<std::string, const v1::Project*> projects;
    for (const v1::Project& project : budget.projects()) {
      projects[project.code()] = &project;
    }
    // Classified lines fold into one line per transfer (kind, counterpart),
    // so that a reader can still leave out what passed between units.
    std::map<std::pair<std::string, std::string>, MoneySum> hidden;
    for (const v1::ExpenditureLine& line : budget.expenditures()) {
      auto it = projects.find(line.project_code());
      const v1::Project* project = it == projects.end() ? nullptr : it->second;
      const std::string transfer =
          Format(v1::TransferKind_descriptor(), line.transfer_kind());
      if (project != nullptr && project->classified() && !input.cleared) {
        hidden[{transfer, line.counterpart_unit()}].Add(line.amount_fen());
        continue;
      }
      out += CsvRecord(
          {budget.unit_code(), SpreadsheetText(name_of(budget.unit_code())),
           line.function_code(), line.dept_economic_code(),
           line.gov_economic_code(),
           Format(v1::FundingSource_descriptor(), line.funding_source()),
           Format(v1::ExpenditureNature_descriptor(), line.nature()),
           line.project_code(),
           project == nullptr ? "" : SpreadsheetText(project->name()),
           FormatYuan(line.amount_fen()), transfer, line.counterpart_unit()});
      out += "\n";
    }
    for (const auto& [transfer, sum] : hidden) {
      if (!sum.ok()) return sum.status();
      if (sum.value() == 0) continue;
      out += CsvRecord({budget.unit_code(),
                        SpreadsheetText(name_of(budget.unit_code())), "", "",
                        "", "",
                        Format(v1::ExpenditureNature_descriptor(),
                               v1::EXPENDITURE_NATURE_PROJECT),
                        "", kClassifiedName, FormatYuan(sum.value()),
                        transfer.first, transfer.second});
      out += "\n";
    }
  }
  return out;
}

std::string DataPackageJson(const FiscalDataInput& input) {
  std::string fields;
  for (const Field& field : kFields) {
    absl::StrAppend(&fields, fields.empty() ? "" : ",\n",
                    "        {\"name\": ", Json(field.name),
                    ", \"type\": ", Json(field.type),
                    ", \"title\": ", Json(field.title), "}");
  }
  const std::string year = absl::StrCat(input.fiscal_year);
  // The FDP model: the amount is the measure; each classification a
  // dimension whose attributes name the CSV columns they come from.
  return absl::StrCat(
      "{\n  \"profile\": \"fiscal-data-package\",\n  \"name\": ",
      Json(absl::StrCat("budget-", input.node_code, "-", year)),
      ",\n  \"title\": ",
      Json(absl::StrCat(year, "年", input.node_name, "部门预算支出明细")),
      ",\n  \"countryCode\": \"CN\",\n  \"fiscalPeriod\": {\"start\": \"", year,
      "-01-01\", \"end\": \"", year,
      "-12-31\"},\n  \"resources\": [\n    {\n      \"name\": "
      "\"budget-lines\",\n      \"path\": ",
      Json(kBudgetLinesFile),
      ",\n      \"format\": \"csv\",\n      \"mediatype\": \"text/csv\",\n"
      "      \"encoding\": \"utf-8\",\n"
      // Said, as the CSV dialect's default line terminator is CRLF.
      "      \"dialect\": {\"delimiter\": \",\", \"lineTerminator\": "
      "\"\\n\", \"header\": true},\n"
      "      \"schema\": {\"fields\": [\n",
      fields,
      "\n      ]}\n    }\n  ],\n  \"model\": {\n    \"measures\": {\n"
      "      \"amount\": {\"source\": \"amount\", \"currency\": \"CNY\", "
      "\"factor\": 1, \"direction\": \"expenditure\", \"phase\": "
      "\"approved\", \"resource\": \"budget-lines\"}\n    },\n"
      "    \"dimensions\": {\n"
      "      \"administrative_classification\": {\"dimensionType\": "
      "\"classification\", \"classificationType\": \"administrative\", "
      "\"attributes\": {\"unit_code\": {\"source\": \"unit_code\"}, "
      "\"unit_name\": {\"source\": \"unit_name\", \"labelfor\": "
      "\"unit_code\"}}, \"primaryKey\": [\"unit_code\"]},\n"
      "      \"functional_classification\": {\"dimensionType\": "
      "\"classification\", \"classificationType\": \"functional\", "
      "\"attributes\": {\"function_code\": {\"source\": \"function_code\"}}, "
      "\"primaryKey\": [\"function_code\"]},\n"
      "      \"economic_classification\": {\"dimensionType\": "
      "\"classification\", \"classificationType\": \"economic\", "
      "\"attributes\": {\"dept_economic_code\": {\"source\": "
      "\"dept_economic_code\"}}, \"primaryKey\": [\"dept_economic_code\"]},\n"
      "      \"government_economic_classification\": {\"dimensionType\": "
      "\"classification\", \"classificationType\": \"economic\", "
      "\"attributes\": {\"gov_economic_code\": {\"source\": "
      "\"gov_economic_code\"}}, \"primaryKey\": [\"gov_economic_code\"]},\n"
      "      \"funding_source\": {\"dimensionType\": \"classification\", "
      "\"attributes\": {\"funding_source\": {\"source\": "
      "\"funding_source\"}}, \"primaryKey\": [\"funding_source\"]},\n"
      "      \"nature\": {\"dimensionType\": \"classification\", "
      "\"attributes\": {\"nature\": {\"source\": \"nature\"}}, "
      "\"primaryKey\": [\"nature\"]},\n"
      "      \"project\": {\"dimensionType\": \"activity\", \"attributes\": "
      "{\"project_code\": {\"source\": \"project_code\"}, \"project_name\": "
      "{\"source\": \"project_name\", \"labelfor\": \"project_code\"}}, "
      "\"primaryKey\": [\"project_code\"]},\n"
      "      \"transfer\": {\"dimensionType\": \"classification\", "
      "\"attributes\": {\"transfer_kind\": {\"source\": \"transfer_kind\"}, "
      "\"counterpart_unit\": {\"source\": \"counterpart_unit\"}}, "
      "\"primaryKey\": [\"transfer_kind\", \"counterpart_unit\"]}\n"
      "    }\n  }\n}\n");
}

absl::Status WriteFiscalDataPackage(const FiscalDataInput& input,
                                    const std::string& dir) {
  absl::StatusOr<std::string> lines = BudgetLinesCsv(input);
  if (!lines.ok()) return lines.status();
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  const std::filesystem::path root(dir);
  for (const auto& [name, text] :
       {std::pair<std::string, std::string>{"datapackage.json",
                                            DataPackageJson(input)},
        {kBudgetLinesFile, *lines}}) {
    std::ofstream out(root / name, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.good()) {
      return absl::InternalError(
          absl::StrCat("cannot write ", (root / name).string()));
    }
  }
  return absl::OkStatus();
}

}  // namespace budget
