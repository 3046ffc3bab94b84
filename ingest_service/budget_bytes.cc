#include "ingest_service/budget_bytes.h"

#include <cstdint>
#include <utility>

#include "budget/v1/ingest_service.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace ingest {

using google::protobuf::internal::WireFormatLite;

std::optional<std::string> SoleBudgetBytes(const grpc::ByteBuffer& request) {
  // The reader consumes its buffer; the copy shares the slices.
  grpc::ByteBuffer unread(request);
  grpc::ProtoBufferReader reader(&unread);
  google::protobuf::io::CodedInputStream in(&reader);
  in.SetTotalBytesLimit(INT32_MAX);
  std::optional<std::string> budget;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) !=
        budget::v1::SubmitBudgetRequest::kBudgetFieldNumber) {
      if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
      continue;
    }
    uint32_t length = 0;
    if (budget.has_value() ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
        !in.ReadVarint32(&length)) {
      return std::nullopt;
    }
    std::string bytes;
    if (!in.ReadString(&bytes, static_cast<int>(length))) return std::nullopt;
    budget = std::move(bytes);
  }
  if (!in.ConsumedEntireMessage()) return std::nullopt;
  return budget;
}

}  // namespace ingest
