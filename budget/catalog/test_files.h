// The catalog tests' reader of whole files (data/catalog, the docs, files
// a test writes). Tests run from the source root (budget_test's
// WORKING_DIRECTORY), so relative paths name files of the repository.
#ifndef BUDGET_CATALOG_TEST_FILES_H_
#define BUDGET_CATALOG_TEST_FILES_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace budget {

// The bytes of `path`; a failed expectation, and "", if it cannot be read.
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace budget

#endif  // BUDGET_CATALOG_TEST_FILES_H_
