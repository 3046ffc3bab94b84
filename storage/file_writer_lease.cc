#include "storage/file_writer_lease.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"

namespace storage {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileWriterLease>> FileWriterLease::Open(
    const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create ", parent.string(), ": ", error.message()));
    }
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot open the writer lease", path);
  return std::unique_ptr<FileWriterLease>(new FileWriterLease(path, fd));
}

FileWriterLease::~FileWriterLease() { ::close(fd_); }  // Drops the lock.

absl::StatusOr<bool> FileWriterLease::TryAcquire() {
  if (held_) return true;
  int result;
  do {
    result = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (result != 0 && errno == EINTR);
  if (result == 0) {
    held_ = true;
    return true;
  }
  if (errno == EWOULDBLOCK) return false;
  return ErrnoStatus("cannot lock the writer lease", path_);
}

absl::Status FileWriterLease::HoldUntil(const absl::Notification& stop) {
  stop.WaitForNotification();  // A live holder keeps the lock.
  return absl::OkStatus();
}

void FileWriterLease::Release() {
  if (!held_) return;
  ::flock(fd_, LOCK_UN);
  held_ = false;
}

}  // namespace storage
