// Posting the reference cycle's adjustments, a step the cycle tests share.
#ifndef TESTS_CYCLE_REFERENCE_ADJUSTMENTS_H_
#define TESTS_CYCLE_REFERENCE_ADJUSTMENTS_H_

#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace e2e_testing {

// Posts the two adjustments of fixtures/zhengzhou-iit/cycle/adjustments in
// order through AdjustBudget: a 追加 of new money for 021017, then a 调剂
// between two projects of 021001. Each file's name is its request id, so a
// second call is answered as a replay. `context` makes each call's context
// (deadline, credentials). Returns the consolidated revision after the
// last one; a refused call fails the running test and returns -1.
int64_t PostReferenceAdjustments(
    budget::v1::IngestService::Stub& stub,
    absl::FunctionRef<std::unique_ptr<grpc::ClientContext>()> context);

}  // namespace e2e_testing

#endif  // TESTS_CYCLE_REFERENCE_ADJUSTMENTS_H_
