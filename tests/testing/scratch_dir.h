// A fresh, empty directory for the running test. ctest runs every test of a
// binary in its own process, two at a time, so a directory named after the
// fixture alone would be shared (and wiped) by concurrent tests; this one is
// named after the suite, the test and the process.
//
// Call from inside a test (SetUp or the body). Thread-compatible.
#ifndef TESTS_TESTING_SCRATCH_DIR_H_
#define TESTS_TESTING_SCRATCH_DIR_H_

#include <filesystem>

namespace e2e_testing {

// TempDir()/<suite>/<test>.<pid>, removed and created anew.
std::filesystem::path MakeScratchDir();

}  // namespace e2e_testing

#endif  // TESTS_TESTING_SCRATCH_DIR_H_
