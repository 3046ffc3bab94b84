// Units and budgets for the end-to-end tests, built from lines of the
// reference disclosure (郑州市工业和信息化局 2024 部门预算, table 06: 30101
// 基本工资 booked on 50101 by the administrative office and on 50501 by the
// institutions, both under 21505 工业和信息产业监管). The golden budget
// files replace these once they land.
//
// Pure functions; thread-safe.
#ifndef TESTS_INGEST_TEST_BUDGETS_H_
#define TESTS_INGEST_TEST_BUDGETS_H_

#include <cstdint>
#include <string>

#include "budget/v1/budget.pb.h"
#include "google/protobuf/message.h"

namespace ingest_test {

inline constexpr char kDepartment[] = "021";
inline constexpr int32_t kYear = 2024;

// The department node 021 郑州市工业和信息化局.
budget::v1::Unit Department();
// A unit below 021: "021001" is the administrative office, any other code
// an institution (事业单位).
budget::v1::Unit UnitBelowDepartment(const std::string& code,
                                     const std::string& name);

// A balanced budget of `unit`: 30101 basic salary of `fen`, paid from the
// general public budget, with the matching income.
budget::v1::UnitBudget SalaryBudget(const budget::v1::Unit& unit, int64_t fen);

// `message` serialized with its fields in reverse order: valid, and parsed
// to the same message, but not the bytes protobuf writes.
std::string ReversedFieldOrder(const google::protobuf::Message& message);

}  // namespace ingest_test

#endif  // TESTS_INGEST_TEST_BUDGETS_H_
