// The allocator settings a query replica runs with, set before anything is
// allocated.
//
// A replica's bulk (the packed budgets and the departments' rollups, ~1.3 GB
// at L) is allocated once, at a cold start, by the threads that read, pack
// and consolidate it. With glibc's defaults each of those threads allocates
// from an arena of its own (mmapped 64 MB heaps grown a few pages at a time)
// and the kernel maps the memory in one 4 kB page fault at a time. One
// arena (the sbrk heap) keeps the threads off each other's heaps.
//
// The heap is not madvised for transparent huge pages (glibc's hugetlb=1,
// used through round 24): fewer faults (~8,000 instead of 334,000 at L),
// but a virtual machine that hands free memory back to its host (virtio
// free page reporting, as on the benchmark machine) has to back each huge
// page afresh on first touch. There 1.2 GB touched as huge pages took
// 8.6-9.6 s, as 4 kB pages 0.5-0.8 s, and a cold start at L 16.5-18.9 s
// with hugetlb=1 against 8.4-9.6 s without, the same resident size
// (docs/benchmarks.md, "round 25"). A host with memory to spare may gain
// from huge pages; an operator can set them (below).
//
// A live replica then packs and applies each budget stored and frees the
// one it replaces, a few thousand small allocations a batch, in a heap of
// 150 MB (M) to 1.2 GB (L) whose free lists hold thousands of chunks left
// scattered by the cold start. With glibc's per-thread cache of 7 chunks
// per size, most of them went through those lists: each malloc touched
// cold chunks all over the heap, and malloc's internals took ~40 % of the
// tailing thread's CPU in the ingest rows. A cache of 4,096 per size keeps
// a batch's frees for the next batch's allocations (~15 %,
// docs/benchmarks.md, "Issue 17: the live replica's cost per budget"). It
// holds at most what a thread freed beyond what it allocated since, memory
// that was free in the heap before as well.
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
