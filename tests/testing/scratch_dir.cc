#include "tests/testing/scratch_dir.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace e2e_testing {

std::filesystem::path MakeScratchDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  // Parameterized names carry '/', which must not nest directories.
  std::string test_name = info->name();
  for (char& c : test_name) {
    if (c == '/') c = '_';
  }
  std::string suite_name = info->test_suite_name();
  for (char& c : suite_name) {
    if (c == '/') c = '_';
  }
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / suite_name /
      absl::StrCat(test_name, ".", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace e2e_testing
