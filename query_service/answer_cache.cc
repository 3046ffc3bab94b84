#include "query_service/answer_cache.h"

#include <utility>

namespace query {

std::shared_ptr<const google::protobuf::Message> AnswerCache::Find(
    const AnswerKey& key, size_t registry_size) const {
  absl::MutexLock lock(&mu_);
  auto node = nodes_.find(key.node_code);
  if (node == nodes_.end()) return nullptr;
  auto entry =
      node->second.find(NodeKey(key.fiscal_year, key.what, key.cleared));
  if (entry == node->second.end() ||
      entry->second.registry_size != registry_size) {
    return nullptr;
  }
  return entry->second.answer;
}

void AnswerCache::Insert(
    const AnswerKey& key, size_t registry_size,
    std::shared_ptr<const google::protobuf::Message> answer) {
  absl::MutexLock lock(&mu_);
  if (entries_ >= max_entries_ && !nodes_.empty() &&
      !nodes_.contains(key.node_code)) {
    entries_ -= nodes_.begin()->second.size();
    nodes_.erase(nodes_.begin());
  }
  NodeAnswers& answers = nodes_[key.node_code];
  auto [entry, added] =
      answers.insert_or_assign(NodeKey(key.fiscal_year, key.what, key.cleared),
                               Entry{registry_size, std::move(answer)});
  if (added) ++entries_;
}

void AnswerCache::DropNode(absl::string_view node_code) {
  absl::MutexLock lock(&mu_);
  auto node = nodes_.find(node_code);
  if (node == nodes_.end()) return;
  entries_ -= node->second.size();
  nodes_.erase(node);
}

}  // namespace query
