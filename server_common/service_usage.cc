#include "server_common/service_usage.h"

#include <string>

#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace server_common {

void SetServiceUsage(absl::string_view directory, absl::string_view usage) {
  absl::SetProgramUsageMessage(usage);
  absl::FlagsUsageConfig config;
  config.contains_help_flags =
      [own = absl::StrCat(directory, "/")](absl::string_view path) {
        return absl::StrContains(path, own) ||
               absl::StrContains(path, "server_common/");
      };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace server_common
