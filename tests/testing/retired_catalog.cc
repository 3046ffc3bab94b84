#include "tests/testing/retired_catalog.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"

namespace e2e_testing {

budget::Catalog CatalogRetiringIn2024(const std::vector<std::string>& codes) {
  const std::filesystem::path dir = MakeScratchDir();
  for (const std::string& name : budget::Catalog::FileNames()) {
    std::ifstream in(std::filesystem::path("data/catalog") / name);
    std::ofstream out(dir / name, std::ios::trunc);
    const bool crosswalk = name == "economic_crosswalk.csv";
    std::string line;
    while (std::getline(in, line)) {
      for (const std::string& code : codes) {
        const bool lists_code = crosswalk
                                    ? line.find(code + ",") != std::string::npos
                                    : line.rfind(code + ",", 0) == 0;
        // since=2023 and until empty: listed from 2023 on.
        const size_t open = line.find(",2023,,");
        if (lists_code && open != std::string::npos) {
          line.replace(open, 7, ",2023,2023,");
        }
      }
      out << line << "\n";
    }
  }
  absl::StatusOr<budget::Catalog> loaded =
      budget::Catalog::LoadFromDirectory(dir.string());
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return *std::move(loaded);
}

}  // namespace e2e_testing
