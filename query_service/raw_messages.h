// The query service's cached reads take and give raw gRPC bytes
// (grpc::ByteBuffer) so that a cached answer, serialized once, is sent as is.
// These are the conversions at that boundary: requests parsed into their
// real types, answers serialized once into a shareable slice, and a cached
// answer sent with the revision of the call that reads it.
//
// Pure functions; thread-safe.
#ifndef QUERY_SERVICE_RAW_MESSAGES_H_
#define QUERY_SERVICE_RAW_MESSAGES_H_

#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "grpcpp/support/status.h"

namespace query {

// Parses `raw` into `request` with server_common::ParseRequestBytes:
// INVALID_ARGUMENT naming what is wrong and where when the bytes are not
// one, RESOURCE_EXHAUSTED beyond --max_request_messages; `request` is then
// left empty.
grpc::Status ParseRequest(const grpc::ByteBuffer& raw,
                          google::protobuf::Message* request);

// `message` serialized, in a slice every response can reference.
grpc::Slice SerializeToSlice(const google::protobuf::MessageLite& message);

// Sets `response` to `answer` followed by `stamp`, a message of the same
// type with only the per-call fields set (the revision). Protobuf parses
// concatenated messages as one merged message, so the client reads the
// answer with the stamp's fields; `answer` is shared, not copied.
void SendStamped(const grpc::Slice& answer,
                 const google::protobuf::MessageLite& stamp,
                 grpc::ByteBuffer* response);

}  // namespace query

#endif  // QUERY_SERVICE_RAW_MESSAGES_H_
