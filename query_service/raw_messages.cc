#include "query_service/raw_messages.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/slice.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "server_common/status_translation.h"

namespace query {

grpc::Status ParseRequest(const grpc::ByteBuffer& raw,
                          google::protobuf::MessageLite* request) {
  // The reader consumes its buffer; the copy shares the slices.
  grpc::ByteBuffer unread(raw);
  grpc::ProtoBufferReader reader(&unread);
  if (reader.status().ok() && request->ParseFromZeroCopyStream(&reader)) {
    return grpc::Status::OK;
  }
  // What a failed parse leaves is not the caller's request: the call log
  // must not print it.
  request->Clear();
  return server_common::ToGrpcStatus(absl::InvalidArgumentError(
      absl::StrCat("request: ", raw.Length(), " bytes given; expected a ",
                   request->GetTypeName())));
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
