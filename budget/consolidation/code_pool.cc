#include "budget/consolidation/code_pool.h"

#include <cstdlib>

namespace budget {

Code Code::Of(absl::string_view text) {
  return CodePool::Global().Intern(text);
}

absl::string_view Code::view() const { return CodePool::Global().Text(*this); }

CodePool& CodePool::Global() {
  static CodePool* const pool = new CodePool();
  return *pool;
}

CodePool::CodePool() : chunks_(new std::atomic<std::string*>[kMaxChunks]) {
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
