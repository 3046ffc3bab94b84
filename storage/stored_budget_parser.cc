#include "storage/stored_budget_parser.h"

namespace storage {
namespace {

google::protobuf::ArenaOptions FirstBlock(char* block, size_t bytes) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = bytes;
  return options;
}

}  // namespace

StoredBudgetParser::StoredBudgetParser()
    : first_block_(new char[kFirstBlockBytes]),
      arena_(FirstBlock(first_block_.get(), kFirstBlockBytes)) {}

absl::Status StoredBudgetParser::Visit(
    absl::string_view payload,
    absl::FunctionRef<absl::Status(const budget::v1::UnitBudget&)> visit) {
  // The last budget's fields go at once; blocks beyond the first are freed.
  arena_.Reset();
  auto* budget =
      google::protobuf::Arena::CreateMessage<budget::v1::UnitBudget>(&arena_);
  if (!budget->ParseFromArray(payload.data(),
                              static_cast<int>(payload.size()))) {
    return absl::DataLossError("stored budget does not parse");
  }
  return visit(*budget);
}

}  // namespace storage
