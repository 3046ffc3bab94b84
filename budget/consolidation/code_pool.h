// Interned classification and project codes: each distinct code string is
// stored once for the life of the process and named by a 32-bit id, so that
// rollup cells are keyed by small integers instead of strings. Catalog codes
// are a closed set of a few thousand; project codes grow with the units that
// declare them (tens of bytes each), and are never freed.
//
// Thread-safe. Interning takes a mutex (InternAll once for many codes, as a
// budget's lines are packed on a decoding thread; InternRecurring only for
// the codes the thread has not interned before); reading a code back by
// id takes no lock: an id is only ever handed out after its string is in place,
// and whatever passes the id to another thread orders that thread after it.
#ifndef BUDGET_CONSOLIDATION_CODE_POOL_H_
#define BUDGET_CONSOLIDATION_CODE_POOL_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace budget {

// An interned code. The default value is the empty code.
class Code {
 public:
  Code() = default;

  // Interns `text` in the process-wide pool.
  static Code Of(absl::string_view text);

  absl::string_view view() const;
  bool empty() const { return id_ == 0; }
  uint32_t id() const { return id_; }

  friend bool operator==(Code a, Code b) { return a.id_ == b.id_; }
  friend bool operator!=(Code a, Code b) { return a.id_ != b.id_; }
  template <typename H>
  friend H AbslHashValue(H h, Code code) {
    return H::combine(std::move(h), code.id_);
  }

 private:
  explicit Code(uint32_t id) : id_(id) {}
  friend class CodePool;

  uint32_t id_ = 0;
};

class CodePool {
 public:
  // The pool Code::Of uses.
  static CodePool& Global();

  CodePool();
  CodePool(const CodePool&) = delete;
  CodePool& operator=(const CodePool&) = delete;

  Code Intern(absl::string_view text) ABSL_LOCKS_EXCLUDED(mu_);
  // Interns each of `texts` into the same position of `codes` (of the same
  // size), under one lock.
  void InternAll(absl::Span<const absl::string_view> texts,
                 absl::Span<Code> codes) ABSL_LOCKS_EXCLUDED(mu_);
  // The same for codes that recur in nearly every call, as the catalogs'
  // do: texts the calling thread interned this way before are answered from
  // its own map (a few thousand entries at most) without the lock, the rest
  // as InternAll does. Project codes, which grow with the units, belong in
  // InternAll.
  void InternRecurring(absl::Span<const absl::string_view> texts,
                       absl::Span<Code> codes) ABSL_LOCKS_EXCLUDED(mu_);
  absl::string_view Text(Code code) const;

 private:
  // Strings live in fixed-size chunks that never move, so a reader holding
  // an id finds its string without the mutex.
  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kMaxChunks = 1u << 14;  // 2^26 codes.

  // A text to look up, with its hash, computed once, outside the lock.
  struct Entry {
    absl::string_view text;
    uint32_t hash;
  };
  // What the map holds per code: its id (its text is Text of it) and the
  // hash of its text. 8 bytes where a string_view and an id took 24: the
  // map grows to every project code (~1 M at L), and each rehash that read
  // the texts again to hash them missed the cache on every code.
  struct Slot {
    uint32_t id;
    uint32_t hash;
  };
  struct SlotHash {
    using is_transparent = void;
    size_t operator()(const Slot& slot) const { return slot.hash; }
    size_t operator()(const Entry& entry) const { return entry.hash; }
  };
  struct SlotEq {
    using is_transparent = void;
    const CodePool* pool;
    bool operator()(const Slot& a, const Slot& b) const { return a.id == b.id; }
    bool operator()(const Slot& slot, const Entry& entry) const {
      return slot.hash == entry.hash && pool->Text(Code(slot.id)) == entry.text;
    }
    bool operator()(const Entry& entry, const Slot& slot) const {
      return (*this)(slot, entry);
    }
  };
  static Entry EntryOf(absl::string_view text);

  Code InternLocked(const Entry& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Names this pool in the threads' maps (InternRecurring); never reused.
  const uint64_t serial_;
  absl::Mutex mu_;
  absl::flat_hash_set<Slot, SlotHash, SlotEq> ids_ ABSL_GUARDED_BY(mu_);
  uint32_t size_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<std::atomic<std::string*>[]> chunks_;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_CODE_POOL_H_
