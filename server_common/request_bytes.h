// Reads the bytes of a request into its message, after checking them
// against the message's type without building anything: a request that
// does not parse is answered INVALID_ARGUMENT naming the field and byte
// offset and what was wrong there (truncated, bad length, invalid UTF-8 in
// a string field, nested too deep), instead of gRPC's UNIMPLEMENTED with no
// message; and a request that would parse into more objects than a limit
// (nested messages, elements of repeated texts, unknown fields) is refused
// RESOURCE_EXHAUSTED before it is parsed, so that a few megabytes of empty
// lines or unknown fields cannot become gigabytes of parsed objects.
//
// Pure functions; thread-safe.
#ifndef SERVER_COMMON_REQUEST_BYTES_H_
#define SERVER_COMMON_REQUEST_BYTES_H_

#include <cstdint>

#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/status.h"

namespace server_common {

// Objects (nested messages such as lines, projects and indicators;
// elements of repeated strings; unknown fields) one request may hold by
// default: a budget at every list limit of budget/validation/limits.h
// holds fewer; parsed, this many empty messages take under 100 MB, and this
// many unknown fields ~25 MB.
inline constexpr int64_t kDefaultMaxRequestMessages = 400'000;

// Checks `raw` as a `request->GetDescriptor()` and parses it into
// `request`. OK; INVALID_ARGUMENT naming what is wrong and where;
// RESOURCE_EXHAUSTED when it holds more than `max_objects` of those
// objects; CANCELLED when gRPC received no request at all (`raw` not
// Valid()). On failure `request` is left empty.
grpc::Status ParseRequestBytes(const grpc::ByteBuffer& raw,
                               google::protobuf::Message* request,
                               int64_t max_objects);

}  // namespace server_common

#endif  // SERVER_COMMON_REQUEST_BYTES_H_
