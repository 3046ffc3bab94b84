// The allocator settings a query replica runs with, set before anything is
// allocated.
//
// A replica's bulk (the packed budgets and the departments' rollups, ~1.3 GB
// at L) is allocated once, at a cold start, by the threads that read, pack
// and consolidate it. With glibc's defaults each of those threads allocates
// from an arena of its own (mmapped 64 MB heaps grown a few pages at a time)
// and the kernel maps the memory in one 4 kB page fault at a time: at L,
// 334,000 faults, which in this VM cost ~3 s of the start-up's ~20 s of CPU.
// With one arena (the sbrk heap) that malloc marks for transparent huge pages
// (MADV_HUGEPAGE, honoured where THP is "madvise" or "always"), the same
// load takes ~8,000 faults and ~15 % less CPU (docs/benchmarks.md, "Issue 17
// item 4, third pass"); the resident size is the same, and the answers'
// CPU per call unchanged.
//
// glibc reads its tunables (GLIBC_TUNABLES) only when a process starts, so
// the service re-executes itself once with them set. An operator who sets
// GLIBC_TUNABLES (even empty) keeps their own.
#ifndef QUERY_SERVICE_ALLOCATOR_TUNABLES_H_
#define QUERY_SERVICE_ALLOCATOR_TUNABLES_H_

namespace query {

// Call first in main, with main's argv, before any thread exists. Returns
// only when it did not re-execute: GLIBC_TUNABLES was set already, or the
// exec failed (said on stderr; the service runs on with the defaults).
void RunWithAllocatorTunables(char** argv);

}  // namespace query

#endif  // QUERY_SERVICE_ALLOCATOR_TUNABLES_H_
