// The consolidated state of the past, for reads "as of" a consolidated
// revision or a time (ReadOptions.as_of_revision, as_of_time): what the
// tables said then, for auditors. Each past state is a ConsolidatedView of
// its own, built on demand from the store's feed (SubmissionFeed::ReadAsOf:
// the latest revision of every unit, year and stage at or before the
// revision, the cycle records and the locks as of then) and applied with
// the very code the live view applies revisions with, so a past answer is
// the answer the service gave then (no second consolidation).
//
// Limits: at most `max_builds` states are read from the store at once
// (RESOURCE_EXHAUSTED beyond, at once: a build reads the whole history of
// the years asked); a state holds at most `max_lines` budget lines
// (RESOURCE_EXHAUSTED beyond); built states are kept, least recently used
// first out, up to `cache_bytes` (an estimate: their budgets' encoded size
// times a factor for the rollups).
//
// Owns a feed per build, opened on the store spec. Thread-safe.
#ifndef QUERY_SERVICE_AS_OF_VIEWS_H_
#define QUERY_SERVICE_AS_OF_VIEWS_H_

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "budget/v1/query_service.pb.h"
#include "query_service/consolidated_view.h"

namespace query {

class AsOfViews {
 public:
  struct Limits {
    int max_builds = 2;
    size_t cache_bytes = size_t{256} << 20;
    int64_t max_lines = 5'000'000;
  };

  AsOfViews(std::string store_spec, Limits limits);

  // Whether `read` asks for a past state.
  static bool AsksForPast(const budget::v1::ReadOptions& read);

  // The state `read` names for `years` (each year a read of it touches),
  // when the service has applied `applied`: null when `read` names no
  // past point. INVALID_ARGUMENT for both fields, a negative revision or a
  // malformed time; OUT_OF_RANGE for a revision beyond `applied`, a time
  // in the future or before the first commit; RESOURCE_EXHAUSTED past the
  // limits; the store's error when it cannot be read.
  absl::StatusOr<std::shared_ptr<const ConsolidatedView>> At(
      const budget::v1::ReadOptions& read, std::vector<int32_t> years,
      int64_t applied);

  // States held and their estimated bytes (for tests and metrics).
  size_t cached() const;
  size_t cached_bytes() const;

 private:
  // A past state: revision, the micros locks are cut at (-1: by revision),
  // the years read.
  using Key = std::tuple<int64_t, int64_t, std::vector<int32_t>>;
  struct Entry {
    std::shared_ptr<const ConsolidatedView> view;
    size_t bytes = 0;
    std::list<Key>::iterator age;
  };
  // A build slot, given back when destroyed.
  class Slot;

  std::shared_ptr<const ConsolidatedView> Find(const Key& key);
  void Keep(const Key& key, std::shared_ptr<const ConsolidatedView> view,
            size_t bytes);
  absl::StatusOr<std::unique_ptr<Slot>> TakeSlot();

  const std::string store_spec_;
  const Limits limits_;
  mutable absl::Mutex mu_;
  int builds_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<Key, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::list<Key> ages_ ABSL_GUARDED_BY(mu_);  // Most recently used first.
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace query

#endif  // QUERY_SERVICE_AS_OF_VIEWS_H_
