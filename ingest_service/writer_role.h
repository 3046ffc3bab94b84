// Whether this ingest service is the writer of its store or its hot
// standby (issue 14, "one writer, a hot standby"). The writer holds the
// store's writer lease (storage/writer_lease.h) and an Ingestor loaded from
// the store; the standby holds neither, answers every IngestService call
// UNAVAILABLE saying it is the standby, and tries the lease every
// `retry_interval`. When the lease becomes free (the writer died) it takes
// it, opens the store fenced with the lease's epoch, loads the registry,
// budgets and locks the other one wrote, and becomes the writer. A writer
// whose lease is lost (its database session died) stops writing at once and
// stands by again; when it takes the lease back it reloads everything, since
// commits whose outcome it never learned may have landed.
//
// Owns the lease, the store and the Ingestor, and a thread that waits on
// the lease. Current() is thread-safe; TakeOverIfFree, Start and Stop are
// called from main, in that order.
#ifndef INGEST_SERVICE_WRITER_ROLE_H_
#define INGEST_SERVICE_WRITER_ROLE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "ingest_service/ingestor.h"
#include "storage/budget_store.h"
#include "storage/open_store.h"
#include "storage/writer_lease.h"

namespace ingest {

class WriterRole {
 public:
  // Told true when this service becomes the writer, false when it stands
  // by; called from the role's thread (and once from Start).
  using Listener = std::function<void(bool writer)>;

  // Opens the store of each hold of the lease from the store spec; tests
  // wrap the store it returns.
  using StoreOpener =
      std::function<absl::StatusOr<std::unique_ptr<storage::BudgetStore>>(
          absl::string_view store_spec)>;

  WriterRole(std::string store_spec, ValidationSettings validation,
             absl::Duration retry_interval,
             StoreOpener open_store = storage::OpenStore)
      : store_spec_(std::move(store_spec)),
        validation_(validation),
        retry_interval_(retry_interval),
        open_store_(std::move(open_store)) {}
  ~WriterRole();  // Stops.

  WriterRole(const WriterRole&) = delete;
  WriterRole& operator=(const WriterRole&) = delete;

  // The first attempt, before serving: takes the lease when it is free and
  // loads the store. OK when this service is now the writer or the standby;
  // an error (a store that cannot be opened or loaded, an unknown scheme)
  // when the service should not start at all.
  absl::Status TakeOverIfFree();
  // Every Ingestor this role loads tells `observer` (borrowed; outlives
  // the role) of its work. Call before TakeOverIfFree.
  void set_observer(IngestObserver* observer) { observer_ = observer; }
  // Tells `listener` the current role, then starts the thread that holds
  // the lease (or waits for it) and tells `listener` of every change.
  void Start(Listener listener);
  // Ends the thread; the lease is released when the role is destroyed.
  void Stop();

  // The Ingestor while this service is the writer; UNAVAILABLE, saying
  // that this is the standby, otherwise. Every call checks this first.
  absl::StatusOr<std::shared_ptr<Ingestor>> Current() const;
  // The Ingestor of the latest hold of the lease, kept until the next one:
  // never null once Current() has been OK, so a call that passed the check
  // can go on using it even if this service stands by meanwhile (its store
  // is fenced then, so nothing it writes commits).
  std::shared_ptr<Ingestor> Latest() const;

 private:
  // The store and Ingestor of one hold of the lease.
  struct Term {
    std::unique_ptr<storage::BudgetStore> store;
    // Borrows `store`; declared after it, so destroyed first.
    std::unique_ptr<Ingestor> ingestor;
  };

  void Run();
  // Tries the lease once; loads a new Term when it is taken. Records why
  // this service stays the standby when it does (SetStandbyReason).
  absl::Status TryTakeOver();
  void StandBy(const absl::Status& why);
  // What Current() answers while this is the standby: that another service
  // holds the lease when `failure` is OK, else that the lease or the store
  // could not be taken, and why. A standby that cannot reach the store must
  // not send callers to an "active one" that may not exist.
  void SetStandbyReason(const absl::Status& failure);
  // Logs `message` unless it repeats the previous one.
  void Say(const std::string& message);

  const std::string store_spec_;
  const ValidationSettings validation_;
  const absl::Duration retry_interval_;
  const StoreOpener open_store_;
  IngestObserver* observer_ = nullptr;
  std::unique_ptr<storage::WriterLease> lease_;  // The thread's after Start.
  Listener listener_;
  std::string last_said_;
  absl::Notification stop_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  std::shared_ptr<Term> term_ ABSL_GUARDED_BY(mu_);  // Null: standby.
  std::shared_ptr<Term> latest_term_ ABSL_GUARDED_BY(mu_);
  absl::Status standby_reason_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ingest

#endif  // INGEST_SERVICE_WRITER_ROLE_H_
