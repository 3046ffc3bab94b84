#include "storage/writer_lease.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/file_writer_lease.h"
#include "storage/pg_writer_lease.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

absl::StatusOr<std::unique_ptr<WriterLease>> OpenWriterLease(
    absl::string_view store_spec) {
  if (IsPostgresUri(store_spec)) {
    return std::make_unique<PgWriterLease>(std::string(store_spec));
  }
  constexpr absl::string_view kSqlite = "sqlite:";
  if (absl::StartsWith(store_spec, kSqlite) &&
      store_spec.size() > kSqlite.size()) {
    absl::StatusOr<std::unique_ptr<FileWriterLease>> lease =
        FileWriterLease::Open(
            absl::StrCat(store_spec.substr(kSqlite.size()), ".writer-lease"));
    if (!lease.ok()) return lease.status();
    return std::unique_ptr<WriterLease>(std::move(*lease));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "store \"", store_spec,
      "\" has no writer lease: expected sqlite:PATH or postgresql://..."));
}

}  // namespace storage
