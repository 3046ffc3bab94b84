// Answers the query service has built (disclosure tables, summaries and
// aggregate pages), each kept serialized once so that a repeated request is
// served from the same bytes instead of a rebuild, a copy or a
// re-serialization.
//
// An answer about a node depends on the node's rollups (any year: summaries
// and aggregates compare years), the budgets below the node and the
// registry. Every change below a node passes through it on its path, so an
// entry is dropped when a revision changes a node on its unit's path
// (DropNode, called by the applier), and is ignored once the registry has
// grown (the tree only grows, so its size tells). Inserts and lookups happen
// under the view's shared lock and drops under its exclusive lock, so an
// entry never outlives the revision it was built at.
//
// At most `max_entries` answers and `max_bytes` bytes are held, an entry
// costing its serialized answer, its key (an aggregate request's query
// fields may be long) and kEntryOverhead; a full cache drops other nodes'
// answers to make room, and an entry larger than `max_bytes` is not kept.
// Answers are grpc::Slices: a hit shares the bytes (reference-counted) with
// every response that carries them.
//
// Thread-safe.
#ifndef QUERY_SERVICE_ANSWER_CACHE_H_
#define QUERY_SERVICE_ANSWER_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/slice.h"

namespace query {

struct AnswerKey {
  std::string node_code;
  int32_t fiscal_year = 0;
  // What was asked of the node: a table id, the summary and its compare
  // year, or an aggregate request's query fields.
  std::string what;
  bool cleared = false;
};

class AnswerCache {
 public:
  // What an entry costs besides its answer and key: the hash map slots,
  // the slice's refcount and the entry itself.
  static constexpr size_t kEntryOverhead = 128;

  AnswerCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  // The serialized answer built for `key` while the registry had
  // `registry_size` nodes; nullopt when none.
  std::optional<grpc::Slice> Find(const AnswerKey& key,
                                  size_t registry_size) const;
  void Insert(const AnswerKey& key, size_t registry_size, grpc::Slice answer);
  // Forgets every answer about `node_code`.
  void DropNode(absl::string_view node_code);

  // Finds that returned an answer, and those that did not, since start
  // (for the service's metrics).
  struct Lookups {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Lookups lookups() const {
    return {hits_.load(std::memory_order_relaxed),
            misses_.load(std::memory_order_relaxed)};
  }

 private:
  using NodeKey = std::tuple<int32_t, std::string, bool>;
  struct Entry {
    size_t registry_size = 0;
    grpc::Slice answer;
    size_t cost = 0;  // Counted in bytes_.
  };

  using NodeAnswers = absl::flat_hash_map<NodeKey, Entry>;
  using Nodes = absl::flat_hash_map<std::string, NodeAnswers>;

  // Removes `node` from nodes_ and its answers from the totals.
  void Erase(Nodes::iterator node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  Nodes nodes_ ABSL_GUARDED_BY(mu_);
  size_t entries_ ABSL_GUARDED_BY(mu_) = 0;
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  mutable std::atomic<uint64_t> hits_{0};
  mutable std::atomic<uint64_t> misses_{0};
};

}  // namespace query

#endif  // QUERY_SERVICE_ANSWER_CACHE_H_
