// Disclosure tables and summaries the query service has built, kept so that
// a repeated request is a copy instead of a rebuild.
//
// An answer depends on its node's rollups (any year: summaries compare
// years), the budgets below the node and the registry. So an entry is
// dropped when a revision changes a node on its unit's path (DropNode, called
// by the applier), and is ignored once the registry has grown (the tree only
// grows, so its size tells). Inserts and lookups happen under the view's
// shared lock and drops under its exclusive lock, so an entry never outlives
// the revision it was built at. At most `max_entries` answers are held; a
// full cache drops one node's answers to make room.
//
// Thread-safe.
#ifndef QUERY_SERVICE_ANSWER_CACHE_H_
#define QUERY_SERVICE_ANSWER_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"

namespace query {

struct AnswerKey {
  std::string node_code;
  int32_t fiscal_year = 0;
  std::string what;  // A table id, or the summary and its compare year.
  bool cleared = false;
};

class AnswerCache {
 public:
  explicit AnswerCache(size_t max_entries) : max_entries_(max_entries) {}

  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  // The answer built for `key` while the registry had `registry_size`
  // nodes; nullptr when none.
  std::shared_ptr<const google::protobuf::Message> Find(
      const AnswerKey& key, size_t registry_size) const;
  void Insert(const AnswerKey& key, size_t registry_size,
              std::shared_ptr<const google::protobuf::Message> answer);
  // Forgets every answer about `node_code`.
  void DropNode(absl::string_view node_code);

 private:
  using NodeKey = std::tuple<int32_t, std::string, bool>;
  struct Entry {
    size_t registry_size = 0;
    std::shared_ptr<const google::protobuf::Message> answer;
  };
  using NodeAnswers = absl::flat_hash_map<NodeKey, Entry>;

  const size_t max_entries_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, NodeAnswers> nodes_ ABSL_GUARDED_BY(mu_);
  size_t entries_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace query

#endif  // QUERY_SERVICE_ANSWER_CACHE_H_
