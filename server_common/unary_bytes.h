// Serves a unary method registered with gRPC's WithRawCallbackMethod_*:
// the request bytes are read with ParseRequestBytes (request_bytes.h), so
// that bytes that do not parse are answered INVALID_ARGUMENT naming what
// is wrong, and oversized requests RESOURCE_EXHAUSTED before parsing; the
// typed handler runs on the parsed request and its response is serialized.
//
// Header-only template; thread-safe as the handler is.
#ifndef SERVER_COMMON_UNARY_BYTES_H_
#define SERVER_COMMON_UNARY_BYTES_H_

#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "grpcpp/support/server_callback.h"
#include "server_common/call_log.h"
#include "server_common/request_bytes.h"

namespace server_common {

// Finishes `reactor` with `status`, serializing `response` into `out` first
// when the status is OK (a response that does not serialize fails the
// call). For handlers that answer later, from another thread.
template <typename Response>
void FinishWithResponse(grpc::ServerUnaryReactor* reactor, grpc::Status status,
                        const Response& response, grpc::ByteBuffer* out) {
  if (status.ok()) {
    bool own_buffer = false;
    status = grpc::SerializationTraits<Response>::Serialize(response, out,
                                                            &own_buffer);
  }
  reactor->Finish(status);
}

// Parses `raw` into a Request, calls `handle(request, &response)` (a
// grpc::Status; it writes its own call log line), serializes the response
// into `out` and finishes the call. A request that does not parse is
// logged under `method` and never reaches `handle`.
template <typename Request, typename Response, typename Handle>
grpc::ServerUnaryReactor* ServeUnaryBytes(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer& raw,
                                          grpc::ByteBuffer* out,
                                          absl::string_view method,
                                          int64_t max_messages, Handle handle) {
  Request request;
  grpc::Status status = ParseRequestBytes(raw, &request, max_messages);
  if (!status.ok()) return FinishUnary(context, CallLog(method), status);
  Response response;
  status = handle(request, &response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  FinishWithResponse(reactor, std::move(status), response, out);
  return reactor;
}

}  // namespace server_common

#endif  // SERVER_COMMON_UNARY_BYTES_H_
