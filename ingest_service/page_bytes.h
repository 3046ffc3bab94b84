// The size at which a page of a listing ends (ListSubmissions' revisions,
// ListAuditRecords' records), whatever page_size asked for: budgets and
// audit pages can be large, and a reply must stay well within clients'
// default 4 MB receive limit. A page holds at least one element.
#ifndef INGEST_SERVICE_PAGE_BYTES_H_
#define INGEST_SERVICE_PAGE_BYTES_H_

#include <cstddef>

namespace ingest {

inline constexpr size_t kPageBytes = 1 << 20;

}  // namespace ingest

#endif  // INGEST_SERVICE_PAGE_BYTES_H_
