#include "budget/consolidation/code_pool.h"

#include <cstdlib>
#include <vector>

namespace budget {

namespace {

// The codes a thread interned with InternRecurring, by text: the catalog
// codes recur in every budget, while the pool's own map, which also holds
// every project code (millions at L), misses the cache on each look-up and
// is shared under the lock. Emptied when it passes kMaxThreadCodes, which
// the closed catalogs do not reach, so that it cannot grow for good. It
// names its pool by serial number, so a pool made later at the same
// address never reads another's ids.
struct ThreadCodes {
  uint64_t pool = 0;  // CodePool serial; 0 for none.
  absl::flat_hash_map<std::string, uint32_t> ids;
};
constexpr size_t kMaxThreadCodes = 1 << 14;

std::atomic<uint64_t> next_serial{1};

}  // namespace

Code Code::Of(absl::string_view text) {
  return CodePool::Global().Intern(text);
}

absl::string_view Code::view() const { return CodePool::Global().Text(*this); }

CodePool& CodePool::Global() {
  static CodePool* const pool = new CodePool();
  return *pool;
}

CodePool::CodePool()
    : serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      chunks_(new std::atomic<std::string*>[kMaxChunks]) {
  for (uint32_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr);
  Intern("");  // Id 0: the empty code.
}

Code CodePool::Intern(absl::string_view text) {
  absl::MutexLock lock(&mu_);
  return InternLocked(text);
}

void CodePool::InternAll(absl::Span<const absl::string_view> texts,
                         absl::Span<Code> codes) {
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < texts.size(); ++i) codes[i] = InternLocked(texts[i]);
}

void CodePool::InternRecurring(absl::Span<const absl::string_view> texts,
                               absl::Span<Code> codes) {
  thread_local ThreadCodes known;
  if (known.pool != serial_ || known.ids.size() > kMaxThreadCodes) {
    known.ids = {};
    known.pool = serial_;
  }
  std::vector<size_t> missed;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (auto it = known.ids.find(texts[i]); it != known.ids.end()) {
      codes[i] = Code(it->second);
    } else {
      missed.push_back(i);
    }
  }
  if (missed.empty()) return;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i : missed) codes[i] = InternLocked(texts[i]);
  }
  for (size_t i : missed) known.ids.emplace(texts[i], codes[i].id());
}

Code CodePool::InternLocked(absl::string_view text) {
  if (auto it = ids_.find(text); it != ids_.end()) return Code(it->second);
  const uint32_t id = size_;
  const uint32_t chunk = id >> kChunkBits;
  if (chunk >= kMaxChunks) std::abort();  // 2^26 distinct codes.
  std::string* strings = chunks_[chunk].load(std::memory_order_relaxed);
  if (strings == nullptr) {
    strings = new std::string[kChunkSize];
    chunks_[chunk].store(strings, std::memory_order_release);
  }
  std::string& slot = strings[id & (kChunkSize - 1)];
  slot.assign(text.data(), text.size());
  ids_.emplace(slot, id);
  ++size_;
  return Code(id);
}

absl::string_view CodePool::Text(Code code) const {
  const std::string* strings =
      chunks_[code.id_ >> kChunkBits].load(std::memory_order_acquire);
  return strings[code.id_ & (kChunkSize - 1)];
}

}  // namespace budget
