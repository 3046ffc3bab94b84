// The reference department (fixtures/zhengzhou-iit) as the publication
// reads it: both years consolidated in process (as tests/golden does), the
// 2024 summary compared with 2023 and tables 01–13 as a reader is served
// them, and the department's texts file. Built once per test binary; not
// thread-safe (tests call it from the main thread).
#ifndef TESTS_PUBLICATION_REFERENCE_PUBLICATION_H_
#define TESTS_PUBLICATION_REFERENCE_PUBLICATION_H_

#include <filesystem>
#include <string>

#include "budget/publication/department_texts.h"
#include "budget/publication/publication_data.h"

namespace e2e_testing {

inline const std::filesystem::path kReferenceFixtures = GOLDEN_FIXTURES_DIR;

// A cleared reader sees classified projects in full; a public one masked.
budget::PublicationData ReferencePublication(bool cleared);

// The bytes of a file; "" when it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

// fixtures/zhengzhou-iit/021-2024.texts, parsed (parse errors fail the test).
budget::DepartmentTexts ReferenceTexts();

}  // namespace e2e_testing

#endif  // TESTS_PUBLICATION_REFERENCE_PUBLICATION_H_
