#include "storage/store_copy.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/utf8.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite_statement.h"

namespace storage {
namespace {

enum class Kind { kInt, kText, kBytes };

struct Column {
  const char* name;
  Kind kind;
};

struct Table {
  const char* name;
  std::vector<Column> columns;
  const char* order_by;
};

// Every table of the store, parents before the rows that refer to them
// (reviews after submissions). Both schemas name and order the columns
// alike (storage/README.md).
const std::vector<Table>& Tables() {
  static const auto* tables = new std::vector<Table>{
      {"units",
       {{"seq", Kind::kInt},
        {"code", Kind::kText},
        {"parent_code", Kind::kText},
        {"name", Kind::kText},
        {"kind", Kind::kInt}},
       "seq"},
      {"submissions",
       {{"consolidated_revision", Kind::kInt},
        {"unit_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"revision", Kind::kInt},
        {"request_id", Kind::kText},
        {"payload", Kind::kBytes},
        {"submitted_by", Kind::kText},
        {"submitted_at_us", Kind::kInt},
        {"warnings", Kind::kBytes},
        {"response", Kind::kBytes},
        {"stage", Kind::kInt}},
       "consolidated_revision"},
      {"cycle_records",
       {{"consolidated_revision", Kind::kInt},
        {"node_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"request_id", Kind::kText},
        {"payload", Kind::kBytes},
        {"response", Kind::kBytes}},
       "consolidated_revision"},
      {"node_totals",
       {{"node_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"income_fen", Kind::kInt},
        {"expenditure_fen", Kind::kInt},
        {"consolidated_revision", Kind::kInt}},
       "node_code, fiscal_year"},
      {"reviews",
       {{"id", Kind::kInt},
        {"unit_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"revision", Kind::kInt},
        {"decision", Kind::kInt},
        {"comment", Kind::kText},
        {"reviewer", Kind::kText},
        {"reviewed_at_us", Kind::kInt}},
       "id"},
      {"locks",
       {{"node_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"locked_by", Kind::kText},
        {"locked_at_us", Kind::kInt},
        {"consolidated_revision", Kind::kInt}},
       "node_code, fiscal_year"},
      {"audit_records",
       {{"sequence", Kind::kInt},
        {"principal", Kind::kText},
        {"method", Kind::kText},
        {"node_code", Kind::kText},
        {"fiscal_year", Kind::kInt},
        {"request_id", Kind::kText},
        {"outcome", Kind::kText},
        {"time_us", Kind::kInt},
        {"previous_hash", Kind::kBytes},
        {"hash", Kind::kBytes}},
       "sequence"},
      {"audit_head",
       {{"id", Kind::kInt}, {"sequence", Kind::kInt}, {"hash", Kind::kBytes}},
       "id"},
  };
  return *tables;
}

absl::Status RefuseNonEmpty(PgConnection& target) {
  std::vector<std::string> filled;
  for (const Table& table : Tables()) {
    absl::StatusOr<PgResult> any = target.Execute(
        absl::StrCat("SELECT EXISTS (SELECT 1 FROM ", table.name, ")"));
    if (!any.ok()) return any.status();
    if (any->Bool(0, 0)) filled.push_back(table.name);
  }
  if (filled.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("target ", target.redacted_uri(), " is not empty (rows in ",
                   absl::StrJoin(filled, ", "),
                   "); a copy goes into a new, migrated database only"));
}

// Copies `table` row by row; the audit tables may be absent from a SQLite
// store no service has opened an audit trail on (nothing to copy then).
absl::StatusOr<int64_t> CopyTable(sqlite3* source, PgConnection& target,
                                  const Table& table) {
  std::vector<std::string> names;
  std::vector<std::string> placeholders;
  for (const Column& column : table.columns) {
    names.push_back(column.name);
    placeholders.push_back(absl::StrCat("$", placeholders.size() + 1));
  }
  const std::string columns = absl::StrJoin(names, ", ");
  SqliteStatement select(source,
                         absl::StrCat("SELECT ", columns, " FROM ", table.name,
                                      " ORDER BY ", table.order_by));
  if (!select.status().ok()) {
    if (absl::StartsWith(table.name, "audit_") &&
        absl::StrContains(select.status().message(), "no such table")) {
      return 0;
    }
    return select.status();
  }
  const std::string insert =
      absl::StrCat("INSERT INTO ", table.name, " (", columns, ") VALUES (",
                   absl::StrJoin(placeholders, ", "), ")");
  int64_t rows = 0;
  for (;;) {
    absl::StatusOr<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    PgParams params;
    for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
      switch (table.columns[i].kind) {
        case Kind::kInt:
          params.Add(select.ColumnInt(i));
          break;
        case Kind::kText: {
          // SQLite keeps whatever bytes it was given; PostgreSQL refuses
          // text that is not UTF-8 with a message that hides the value.
          const std::string text = select.ColumnBytes(i);
          if (const size_t bad = budget::FirstInvalidUtf8(text);
              bad != absl::string_view::npos) {
            return absl::FailedPreconditionError(absl::StrCat(
                table.name, " row ", rows + 1, ": ", table.columns[i].name,
                " is not UTF-8 (byte ", bad + 1, " of ", text.size(),
                "), which PostgreSQL cannot store as text; nothing was "
                "copied"));
          }
          params.AddText(text);
          break;
        }
        case Kind::kBytes:
          params.AddBytes(select.ColumnBytes(i));
          break;
      }
    }
    absl::StatusOr<PgResult> inserted = target.Execute(insert, params);
    if (!inserted.ok()) {
      return absl::Status(inserted.status().code(),
                          absl::StrCat(table.name, " row ", rows + 1, ": ",
                                       inserted.status().message()));
    }
    ++rows;
  }
}

}  // namespace

absl::StatusOr<CopiedRows> CopySqliteToPostgres(absl::string_view from,
                                                absl::string_view to) {
  if (!IsPostgresUri(to)) {
    return absl::InvalidArgumentError(
        "the target of a copy is a postgresql:// URI");
  }
  absl::StatusOr<sqlite3*> source =
      OpenExistingSqlite(from, SQLITE_OPEN_READONLY, "");
  if (!source.ok()) return source.status();
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(*source, &sqlite3_close);
  // Opening the source as a store checks its schema version.
  if (absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(from);
      !store.ok()) {
    return store.status();
  }
  absl::StatusOr<std::string> migrated = MigrateStore(to);
  if (!migrated.ok()) return migrated.status();
  absl::StatusOr<std::unique_ptr<PgConnection>> target =
      PgConnection::Connect(to);
  if (!target.ok()) return target.status();
  if (absl::Status s =
          (*target)->ExecOnEverySession("SET synchronous_commit = on");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SqliteExec(*source, "BEGIN"); !s.ok()) return s;
  CopiedRows copied;
  absl::Status status = (*target)->InTransaction([&]() -> absl::Status {
    if (absl::Status s = RefuseNonEmpty(**target); !s.ok()) return s;
    for (const Table& table : Tables()) {
      absl::StatusOr<int64_t> rows = CopyTable(*source, **target, table);
      if (!rows.ok()) return rows.status();
      copied[table.name] = *rows;
    }
    // Query services following the target learn of the whole copy.
    PgParams channel;
    return (*target)
        ->Execute(absl::StrCat("SELECT pg_notify($1, (", kPostgresRevisionQuery,
                               ")::text)"),
                  channel.AddText(kPostgresChangesChannel))
        .status();
  });
  SqliteExec(*source, "COMMIT").IgnoreError();
  if (!status.ok()) return status;
  return copied;
}

}  // namespace storage
