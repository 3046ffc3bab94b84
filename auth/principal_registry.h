// The principals the services check callers against, reloadable from the
// principals file while serving (SIGHUP): a reload that fails keeps the
// principals in force.
//
// Without a file (only allowed with --insecure on loopback, see
// server_common/security_setup.h) every caller is the built-in local
// operator, trusted with everything: submitter, reviewer and auditor (so
// cleared) everywhere. Exports then round-trip between stores, as they
// must for a single-operator development instance.
//
// Thread-safe: readers get an immutable snapshot.
#ifndef AUTH_PRINCIPAL_REGISTRY_H_
#define AUTH_PRINCIPAL_REGISTRY_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "auth/principals_file.h"

namespace auth {

class PrincipalRegistry {
 public:
  // Empty `path`: the local-operator mode above.
  explicit PrincipalRegistry(std::string path);

  // Reads the file again (a no-op without one).
  absl::Status Reload();

  bool has_file() const { return !path_.empty(); }
  // The local operator, or null when a file is in force.
  const Principal* local_operator() const {
    return has_file() ? nullptr : &local_operator_;
  }
  std::shared_ptr<const Principals> Snapshot() const;

 private:
  const std::string path_;
  const Principal local_operator_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Principals> principals_ ABSL_GUARDED_BY(mu_);
};

}  // namespace auth

#endif  // AUTH_PRINCIPAL_REGISTRY_H_
