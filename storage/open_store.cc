#include "storage/open_store.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/sqlite_store.h"

namespace storage {

absl::StatusOr<std::unique_ptr<BudgetStore>> OpenStore(absl::string_view spec) {
  constexpr absl::string_view kSqlite = "sqlite:";
  if (!absl::StartsWith(spec, kSqlite) || spec.size() == kSqlite.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("store \"", spec, "\" is not of the form sqlite:PATH"));
  }
  std::filesystem::path path(std::string(spec.substr(kSqlite.size())));
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return absl::UnavailableError(absl::StrCat("cannot create ",
                                                 path.parent_path().string(),
                                                 ": ", error.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(path.string());
  if (!store.ok()) return store.status();
  return std::unique_ptr<BudgetStore>(std::move(*store));
}

}  // namespace storage
