#include "query_service/allocator_tunables.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace query {
namespace {

// One malloc arena; up to 4,096 freed chunks of each small size cached per
// thread (glibc's default is 7); no huge pages (see the header).
constexpr char kTunables[] =
    "glibc.malloc.arena_max=1:glibc.malloc.tcache_count=4096";

}  // namespace

void RunWithAllocatorTunables(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (setenv("GLIBC_TUNABLES", kTunables, /*overwrite=*/0) != 0) return;
  execv("/proc/self/exe", argv);
  std::fprintf(stderr,
               "query_service: running with the allocator's defaults: cannot "
               "re-execute with GLIBC_TUNABLES=%s: %s\n",
               kTunables, std::strerror(errno));
}

}  // namespace query
