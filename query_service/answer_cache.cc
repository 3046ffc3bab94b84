#include "query_service/answer_cache.h"

#include <utility>

namespace query {

std::optional<grpc::Slice> AnswerCache::Find(const AnswerKey& key,
                                             size_t registry_size) const {
  absl::MutexLock lock(&mu_);
  auto node = nodes_.find(key.node_code);
  if (node == nodes_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  auto entry =
      node->second.find(NodeKey(key.fiscal_year, key.what, key.cleared));
  if (entry == node->second.end() ||
      entry->second.registry_size != registry_size) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return entry->second.answer;
}

void AnswerCache::Insert(const AnswerKey& key, size_t registry_size,
                         grpc::Slice answer) {
  const size_t size =
      answer.size() + key.node_code.size() + key.what.size() + kEntryOverhead;
  if (size > max_bytes_) return;
  absl::MutexLock lock(&mu_);
  NodeAnswers& answers = nodes_[key.node_code];
  NodeKey node_key(key.fiscal_year, key.what, key.cleared);
  auto replaced = answers.find(node_key);
  if (replaced != answers.end()) {
    bytes_ -= replaced->second.cost;
    --entries_;
    answers.erase(replaced);
  }
  // Make room from other nodes first: this node's answers are the ones
  // being asked for.
  for (auto node = nodes_.begin();
       node != nodes_.end() &&
       (entries_ >= max_entries_ || bytes_ + size > max_bytes_);) {
    if (node->first == key.node_code) {
      ++node;
      continue;
    }
    Erase(node++);
  }
  if (entries_ >= max_entries_ || bytes_ + size > max_bytes_) {
    if (answers.empty()) nodes_.erase(key.node_code);
    return;
  }
  answers.emplace(std::move(node_key),
                  Entry{registry_size, std::move(answer), size});
  ++entries_;
  bytes_ += size;
}

void AnswerCache::DropNode(absl::string_view node_code) {
  absl::MutexLock lock(&mu_);
  auto node = nodes_.find(node_code);
  if (node != nodes_.end()) Erase(node);
}

void AnswerCache::Erase(Nodes::iterator node) {
  for (const auto& [key, entry] : node->second) bytes_ -= entry.cost;
  entries_ -= node->second.size();
  nodes_.erase(node);
}

}  // namespace query
