#include "budget/consolidation/code_pool.h"

#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"

namespace budget {

namespace {

// The codes a thread interned with InternRecurring, by ShortKey of their
// text: the catalog codes recur in every budget, while the pool's own map,
// which also holds every project code (millions at L), misses the cache on
// each look-up and is shared under the lock. Emptied when it passes
// kMaxThreadCodes, which the closed catalogs do not reach, so that it cannot
// grow for good. It names its pool by serial number, so a pool made later at
// the same address never reads another's ids.
struct ThreadCodes {
  uint64_t pool = 0;  // CodePool serial; 0 for none.
  absl::flat_hash_map<uint64_t, uint32_t> ids;
};
constexpr size_t kMaxThreadCodes = 1 << 14;

// Catalog codes are 3 to 7 digits: a text that short is kept in the
// thread's map as one word, hashed and compared without reading a string
// (that hashing and comparing was most of the look-ups' cost). Longer texts
// go to the pool.
constexpr size_t kMaxShortText = 7;

// A text of at most kMaxShortText bytes as one word: its bytes, then its
// length in the top byte, so that distinct texts give distinct words.
uint64_t ShortKey(absl::string_view text) {
  uint64_t key = uint64_t{text.size()} << 56;
  for (size_t i = 0; i < text.size(); ++i) {
    key |= uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
  }
  return key;
}

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
      ids_(0, SlotHash(), SlotEq{this}),
      chunks_(new std::atomic<std::string*>[kMaxChunks]) {
  for (uint32_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr);
  Intern("");  // Id 0: the empty code.
}

CodePool::Entry CodePool::EntryOf(absl::string_view text) {
  // The map's hash is 32 bits (Slot); absl::Hash mixes every bit of its
  // result, so its low half is as good a hash.
  return {text, static_cast<uint32_t>(absl::Hash<absl::string_view>()(text))};
}

Code CodePool::Intern(absl::string_view text) {
  const Entry entry = EntryOf(text);
  absl::MutexLock lock(&mu_);
  return InternLocked(entry);
}

void CodePool::InternAll(absl::Span<const absl::string_view> texts,
                         absl::Span<Code> codes) {
  std::vector<Entry> entries;
  entries.reserve(texts.size());
  for (absl::string_view text : texts) entries.push_back(EntryOf(text));
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < entries.size(); ++i) {
    codes[i] = InternLocked(entries[i]);
  }
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
    if (texts[i].size() <= kMaxShortText) {
      if (auto it = known.ids.find(ShortKey(texts[i])); it != known.ids.end()) {
        codes[i] = Code(it->second);
        continue;
      }
    }
    missed.push_back(i);
  }
  if (missed.empty()) return;
  std::vector<Entry> entries;
  entries.reserve(missed.size());
  for (size_t i : missed) entries.push_back(EntryOf(texts[i]));
  {
    absl::MutexLock lock(&mu_);
    for (size_t j = 0; j < missed.size(); ++j) {
      codes[missed[j]] = InternLocked(entries[j]);
    }
  }
  for (size_t i : missed) {
    if (texts[i].size() <= kMaxShortText) {
      known.ids.emplace(ShortKey(texts[i]), codes[i].id());
    }
  }
}

Code CodePool::InternLocked(const Entry& entry) {
  if (auto it = ids_.find(entry); it != ids_.end()) return Code(it->id);
  const absl::string_view text = entry.text;
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
  ids_.insert(Slot{id, entry.hash});
  ++size_;
  return Code(id);
}

absl::string_view CodePool::Text(Code code) const {
  const std::string* strings =
      chunks_[code.id_ >> kChunkBits].load(std::memory_order_acquire);
  return strings[code.id_ & (kChunkSize - 1)];
}

}  // namespace budget
