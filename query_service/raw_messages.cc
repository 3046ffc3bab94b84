#include "query_service/raw_messages.h"

#include <vector>

#include "absl/flags/flag.h"
#include "grpc/slice.h"
#include "server_common/request_bytes.h"
#include "server_common/server_runner.h"

namespace query {

grpc::Status ParseRequest(const grpc::ByteBuffer& raw,
                          google::protobuf::Message* request) {
  // A failed parse leaves nothing of the caller's request: the call log
  // must not print it.
  return server_common::ParseRequestBytes(
      raw, request, absl::GetFlag(FLAGS_max_request_messages));
}

grpc::Slice SerializeToSlice(const google::protobuf::MessageLite& message) {
  grpc_slice bytes = grpc_slice_malloc(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(GRPC_SLICE_START_PTR(bytes));
  return grpc::Slice(bytes, grpc::Slice::STEAL_REF);
}

void SendStamped(const grpc::Slice& answer,
                 const google::protobuf::MessageLite& stamp,
                 grpc::ByteBuffer* response) {
  const grpc::Slice parts[] = {answer, SerializeToSlice(stamp)};
  grpc::ByteBuffer stamped(parts, 2);
  response->Swap(&stamped);
}

}  // namespace query
