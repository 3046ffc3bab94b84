#include "server_common/served_catalog.h"

#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, catalog_dir, "",
          "Directory of classification catalogs to check and print budgets "
          "with, the files and format of the project's data/catalog "
          "(data/catalog/README.md); empty: the catalogs built in");

namespace server_common {

absl::StatusOr<const budget::Catalog*> ServedCatalog() {
  const std::string dir = absl::GetFlag(FLAGS_catalog_dir);
  if (dir.empty()) return &budget::Catalog::Default();
  absl::StatusOr<budget::Catalog> loaded =
      budget::Catalog::LoadFromDirectory(dir);
  if (!loaded.ok()) {
    return absl::Status(
        loaded.status().code(),
        absl::StrCat("--catalog_dir=", dir, ": ", loaded.status().message()));
  }
  // Never freed: the services' threads use it until the process exits.
  return new budget::Catalog(*std::move(loaded));
}

}  // namespace server_common
