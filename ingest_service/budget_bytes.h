// The budget of a SubmitBudgetRequest as the caller serialized it, read
// from the request's bytes, so that the Ingestor stores those bytes instead
// of serializing the parsed budget again (about 5 % of the service's CPU
// per submission, docs/benchmarks.md "Issue 17 item 2, fourth pass").
//
// Pure function; thread-safe.
#ifndef INGEST_SERVICE_BUDGET_BYTES_H_
#define INGEST_SERVICE_BUDGET_BYTES_H_

#include <optional>
#include <string>

#include "grpcpp/support/byte_buffer.h"

namespace ingest {

// The bytes of the `budget` field of `request`, a serialized
// budget.v1.SubmitBudgetRequest that parsed, when it holds that field
// exactly once: the parsed request's budget() was parsed from exactly these
// bytes. nullopt when it holds none or several (the parser merged them).
std::optional<std::string> SoleBudgetBytes(const grpc::ByteBuffer& request);

}  // namespace ingest

#endif  // INGEST_SERVICE_BUDGET_BYTES_H_
