// The writer lease of a SQLite store: an exclusive flock(2) on a file next
// to the store file. The kernel drops the lock when the holder's process
// dies (SIGKILL included) and never while it lives, so this lease cannot
// be lost by a live holder and needs no fencing epoch.
//
// Owns the lock file's descriptor. Not thread-safe (WriterLease).
#ifndef STORAGE_FILE_WRITER_LEASE_H_
#define STORAGE_FILE_WRITER_LEASE_H_

#include <memory>
#include <string>

#include "storage/writer_lease.h"

namespace storage {

class FileWriterLease : public WriterLease {
 public:
  // Opens (creating it when missing) the lock file `path`, and its
  // directory; UNAVAILABLE when it cannot.
  static absl::StatusOr<std::unique_ptr<FileWriterLease>> Open(
      const std::string& path);
  ~FileWriterLease() override;

  absl::StatusOr<bool> TryAcquire() override;
  int64_t epoch() const override { return 0; }
  absl::Status HoldUntil(const absl::Notification& stop) override;
  void Release() override;

 private:
  FileWriterLease(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  const std::string path_;
  const int fd_;
  bool held_ = false;
};

}  // namespace storage

#endif  // STORAGE_FILE_WRITER_LEASE_H_
