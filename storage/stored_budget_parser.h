// Parses the stored bytes of many budgets in a row (a writer's start
// replaying the store's latest budgets) into one arena kept from budget to
// budget. (A query replica packs budgets from their bytes without parsing
// them: budget::PackedBudget::FromWire.)
//
// Why: a 200-line budget parsed onto the heap is hundreds of strings, each
// a malloc and a free; replaying 100,000 of them spent a quarter of an
// ingest service's start in the allocator. In the arena a budget costs a
// bump of a pointer per field, and the arena's first block, kept across
// Reset, usually holds a whole budget.
//
// Not thread-safe: one per visit. The budget handed to `visit` lives until
// the next Visit.
#ifndef STORAGE_STORED_BUDGET_PARSER_H_
#define STORAGE_STORED_BUDGET_PARSER_H_

#include <memory>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"
#include "google/protobuf/arena.h"

namespace storage {

class StoredBudgetParser {
 public:
  StoredBudgetParser();

  StoredBudgetParser(const StoredBudgetParser&) = delete;
  StoredBudgetParser& operator=(const StoredBudgetParser&) = delete;

  // Parses `payload` and calls `visit` with the budget; DATA_LOSS when the
  // bytes do not parse, else what `visit` returns.
  absl::Status Visit(
      absl::string_view payload,
      absl::FunctionRef<absl::Status(const budget::v1::UnitBudget&)> visit);

 private:
  // A 200-line budget parses into ~46 KB (measured on the benchmark's);
  // room for one of ~500 lines without another block.
  static constexpr size_t kFirstBlockBytes = 128 << 10;

  std::unique_ptr<char[]> first_block_;
  google::protobuf::Arena arena_;
};

}  // namespace storage

#endif  // STORAGE_STORED_BUDGET_PARSER_H_
