#include "budget/budget_file/message_columns.h"

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "budget/budget_file/csv.h"
#include "budget/budget_file/enum_text.h"
#include "budget/money.h"

namespace budget {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldDescriptor* FieldOf(const Message& message, const Column& column) {
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(column.field);
  // The column tables are code, so a wrong name is a build defect that
  // every round-trip test catches at once.
  if (field == nullptr) {
    std::abort();
  }
  return field;
}

}  // namespace

std::string NormalizeProjectCode(absl::string_view text) {
  return absl::StrReplaceAll(text, {{" ", ""}});
}

SectionSchema SchemaOf(absl::string_view name, SectionSchema::Kind kind,
                       const std::vector<Column>& columns,
                       const std::vector<Column>& further) {
  SectionSchema schema;
  schema.name = std::string(name);
  schema.kind = kind;
  for (const std::vector<Column>* list : {&columns, &further}) {
    for (const Column& column : *list) {
      (column.required ? schema.required : schema.optional)
          .push_back(column.name);
    }
  }
  return schema;
}

void MessageReader::Read(const SectionRecord& record,
                         const std::vector<Column>& columns,
                         absl::string_view path, Message* message) {
  for (const Column& column : columns) {
    const Cell* cell = record.Find(column.name);
    if (cell == nullptr) continue;
    const FieldDescriptor* field = FieldOf(*message, column);
    ReadCell(*cell, column, field, message);
    if (source_map_ != nullptr) {
      source_map_->Add(
          path.empty() ? field->name() : absl::StrCat(path, ".", field->name()),
          cell->line);
    }
  }
}

void MessageReader::ReadCell(const Cell& cell, const Column& column,
                             const FieldDescriptor* field, Message* message) {
  const Reflection* reflection = message->GetReflection();
  const absl::string_view trimmed = absl::StripAsciiWhitespace(cell.value);
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(message, field,
                            column.is_project_code
                                ? NormalizeProjectCode(cell.value)
                                : cell.value);
      return;
    case FieldDescriptor::CPPTYPE_INT64: {
      absl::StatusOr<int64_t> fen = ParseYuan(trimmed);
      if (fen.ok()) {
        reflection->SetInt64(message, field, *fen);
      } else {
        errors_->Add(file_rules::kBadAmount, cell.line, column.name, cell.value,
                     "yuan with at most two decimals, e.g. 8371000.00 "
                     "(thousands separators only inside quotes)",
                     fen.status().message());
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number = 0;
      if (absl::SimpleAtoi(trimmed, &number)) {
        reflection->SetInt32(message, field, number);
      } else {
        errors_->Add(file_rules::kBadInteger, cell.line, column.name,
                     cell.value, "a whole number, e.g. 2024",
                     "not a whole number");
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (trimmed.empty() || absl::EqualsIgnoreCase(trimmed, "false")) {
        reflection->SetBool(message, field, false);
      } else if (absl::EqualsIgnoreCase(trimmed, "true")) {
        reflection->SetBool(message, field, true);
      } else {
        errors_->Add(file_rules::kBadBoolean, cell.line, column.name,
                     cell.value, "true or false (empty is false)",
                     "not true or false");
      }
      return;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumText& text = EnumTextFor(field->enum_type());
      if (std::optional<int> number = text.Parse(cell.value)) {
        reflection->SetEnumValue(message, field, *number);
      } else {
        errors_->Add(file_rules::kBadEnum, cell.line, column.name, cell.value,
                     text.expected(),
                     absl::StrCat("not a ", field->enum_type()->name()));
      }
      return;
    }
    default:
      std::abort();  // No column maps onto another type; see FieldOf.
  }
}

std::vector<std::string> FormatColumns(const Message& message,
                                       const std::vector<Column>& columns) {
  const Reflection* reflection = message.GetReflection();
  std::vector<std::string> texts;
  for (const Column& column : columns) {
    const FieldDescriptor* field = FieldOf(message, column);
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        texts.push_back(reflection->GetString(message, field));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        texts.push_back(FormatYuan(reflection->GetInt64(message, field)));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        texts.push_back(absl::StrCat(reflection->GetInt32(message, field)));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        texts.push_back(reflection->GetBool(message, field) ? "true" : "false");
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        texts.push_back(EnumTextFor(field->enum_type())
                            .Format(reflection->GetEnumValue(message, field)));
        break;
      default:
        std::abort();  // No column maps onto another type; see FieldOf.
    }
  }
  return texts;
}

std::vector<std::string> ColumnNames(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  for (const Column& column : columns) names.push_back(column.name);
  return names;
}

void AppendTableSection(absl::string_view name,
                        const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        std::string* out) {
  if (rows.empty()) return;
  absl::StrAppend(out, "[", name, "]\n", CsvRecord(header), "\n");
  for (const std::vector<std::string>& row : rows) {
    absl::StrAppend(out, CsvRecord(row), "\n");
  }
  out->push_back('\n');
}

void AppendKeyValueSection(absl::string_view name,
                           const std::vector<Column>& columns,
                           const Message& message, std::string* out) {
  absl::StrAppend(out, "[", name, "]\n");
  const std::vector<std::string> values = FormatColumns(message, columns);
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::StrAppend(out, CsvRecord({columns[i].name, values[i]}), "\n");
  }
  out->push_back('\n');
}

}  // namespace budget
