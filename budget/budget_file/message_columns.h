// Maps the columns of a table section, or the keys of a key-value section,
// onto the fields of a proto message, in both directions. The field's type
// decides how its text is read and written:
//   string  as written (project codes: spaces removed)
//   int64   an amount: yuan with at most two decimals <-> fen
//   int32   a whole number
//   bool    true / false (empty is false)
//   enum    short name or Chinese label (enum_text.h)
// One table of Columns per section thus serves the parser and the writer.
//
// Columns are plain values. MessageReader borrows its sinks and is not
// thread-safe.
#ifndef BUDGET_BUDGET_FILE_MESSAGE_COLUMNS_H_
#define BUDGET_BUDGET_FILE_MESSAGE_COLUMNS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/budget_file/file_error.h"
#include "budget/budget_file/sectioned_file.h"
#include "budget/budget_file/source_map.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace budget {

struct Column {
  std::string name;   // In the file, e.g. "amount_yuan".
  std::string field;  // In the message, e.g. "amount_fen".
  bool required = false;
  bool is_project_code = false;  // Spaces inside are dropped.
};

// A project code as stored: the text without its spaces
// ("41010024 00000000 22812" -> "410100240000000022812").
std::string NormalizeProjectCode(absl::string_view text);

// The schema of a section made of `columns`, plus further columns the
// caller reads itself.
SectionSchema SchemaOf(absl::string_view name, SectionSchema::Kind kind,
                       const std::vector<Column>& columns,
                       const std::vector<Column>& further = {});

class MessageReader {
 public:
  // `source_map` may be nullptr.
  MessageReader(FileErrorSink* errors, SourceMap* source_map)
      : errors_(errors), source_map_(source_map) {}

  // Sets the fields of `message` from those cells of `record` that are
  // present, reporting values that do not read as their type. Records the
  // line of each as `path.field` (`field` when path is empty).
  void Read(const SectionRecord& record, const std::vector<Column>& columns,
            absl::string_view path, google::protobuf::Message* message);

 private:
  void ReadCell(const Cell& cell, const Column& column,
                const google::protobuf::FieldDescriptor* field,
                google::protobuf::Message* message);

  FileErrorSink* errors_;
  SourceMap* source_map_;
};

// The text of each column of `message`, in the order of `columns`.
std::vector<std::string> FormatColumns(const google::protobuf::Message& message,
                                       const std::vector<Column>& columns);

std::vector<std::string> ColumnNames(const std::vector<Column>& columns);

// Appends `[name]`, the header line and one line per row, then a blank
// line; nothing when there are no rows.
void AppendTableSection(absl::string_view name,
                        const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        std::string* out);

// A table section with one row per message.
template <typename M>
void AppendMessageTable(absl::string_view name,
                        const std::vector<Column>& columns,
                        const google::protobuf::RepeatedPtrField<M>& messages,
                        std::string* out) {
  std::vector<std::vector<std::string>> rows;
  for (const M& message : messages) {
    rows.push_back(FormatColumns(message, columns));
  }
  AppendTableSection(name, ColumnNames(columns), rows, out);
}

// Appends `[name]` and one `key,value` line per column, then a blank line.
void AppendKeyValueSection(absl::string_view name,
                           const std::vector<Column>& columns,
                           const google::protobuf::Message& message,
                           std::string* out);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_MESSAGE_COLUMNS_H_
