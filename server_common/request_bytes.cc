#include "server_common/request_bytes.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "budget/utf8.h"
#include "budget/v1/budget.pb.h"
#include "budget/validation/limits.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "server_common/status_translation.h"

namespace server_common {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::io::CodedInputStream;
using WireFormat = google::protobuf::internal::WireFormatLite;

// Protobuf's own parser refuses deeper nesting.
constexpr int kMaxDepth = 100;

// Where the walk is: the field being read, inside the field of the
// enclosing message (`parent`; null at the request's own fields). The text
// is built only for an error, not for every field of every line.
struct WirePath {
  const WirePath* parent;
  const FieldDescriptor* field;  // Null for a field the type does not know.
  int number;
};

std::string PathText(const WirePath* path) {
  if (path == nullptr) return "";
  std::string text = PathText(path->parent);
  if (!text.empty()) text += ".";
  if (path->field != nullptr) {
    absl::StrAppend(&text, path->field->name());
  } else {
    absl::StrAppend(&text, "#", path->number);
  }
  return text;
}

// Whether `type` is a unit budget, whose texts the validator bounds.
bool IsBudget(const Descriptor& type) {
  return &type == budget::v1::UnitBudget::descriptor();
}

// Whether a message of `type` can hold no nested message: then walking it
// counts nothing, and inside a budget (texts unbounded here) finds
// nothing that the parser would not refuse anyway.
bool HoldsNoMessages(const Descriptor& type) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor::Type field_type = type.field(i)->type();
    if (field_type == FieldDescriptor::TYPE_MESSAGE ||
        field_type == FieldDescriptor::TYPE_GROUP) {
      return false;
    }
  }
  return true;
}

// Walks the bytes of one message of `type`, counting nested messages and
// refusing a string field longer than budget::kMaxTextBytes outside a unit
// budget (codes, names, request ids, comments: each is stored, logged or
// echoed, so a megabyte of one cost the store, the logs and the replies
// that much); inside a budget the validator reports it (BGT-E091).
// With `check_strings` it also reads each proto3 string field and checks its
// UTF-8 (as protobuf's parser does) and walks every message; without,
// strings are skipped unread, and so is a budget's message that holds no
// messages (an expenditure line): its framing is left to the parser, and
// the walk with `check_strings`, which follows a failed parse, says where
// it is broken. Walking each field of 200 lines was 8 % of the ingest
// service's CPU (docs/benchmarks.md, round 26).
class Census {
 public:
  Census(CodedInputStream* in, int64_t max_messages, bool check_strings)
      : in_(in), max_messages_(max_messages), check_strings_(check_strings) {}

  absl::Status Walk(const Descriptor& type, const WirePath* path, int depth,
                    bool in_budget) {
    if (depth > kMaxDepth) {
      return Malformed(path,
                       absl::StrCat("messages nested deeper than ", kMaxDepth));
    }
    // The message ends exactly at its limit, never inside a tag.
    while (in_->BytesUntilLimit() > 0) {
      const int at = in_->CurrentPosition();
      const uint32_t tag = in_->ReadTag();
      if (tag == 0) {
        return Malformed(path, absl::StrCat("bad or truncated field tag at "
                                            "byte ",
                                            at));
      }
      const int number = WireFormat::GetTagFieldNumber(tag);
      const FieldDescriptor* field = type.FindFieldByNumber(number);
      const WirePath here{path, field, number};
      const bool delimited = WireFormat::GetTagWireType(tag) ==
                             WireFormat::WIRETYPE_LENGTH_DELIMITED;
      if (field == nullptr || !delimited || field->is_packed()) {
        if (!WireFormat::SkipField(in_, tag)) {
          return Malformed(&here, absl::StrCat("truncated or malformed "
                                               "value at byte ",
                                               at));
        }
        continue;
      }
      absl::Status read = ReadDelimited(*field, &here, at, depth, in_budget);
      if (!read.ok()) return read;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status ReadDelimited(const FieldDescriptor& field, const WirePath* path,
                             int at, int depth, bool in_budget) {
    uint32_t length = 0;
    if (!in_->ReadVarint32(&length) ||
        static_cast<int64_t>(length) > in_->BytesUntilLimit()) {
      return Malformed(path, absl::StrCat("length at byte ", at,
                                          " runs past the end (truncated)"));
    }
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      if (++messages_ > max_messages_) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "request holds more than ", max_messages_,
            " nested messages (lines, projects, indicators); the limit is ",
            max_messages_, " (--max_request_messages, docs/limits.md)"));
      }
      const Descriptor& type = *field.message_type();
      if (check_strings_ || !in_budget || !HoldsNoMessages(type)) {
        const CodedInputStream::Limit limit = in_->PushLimit(length);
        absl::Status walked =
            Walk(type, path, depth + 1, in_budget || IsBudget(type));
        in_->PopLimit(limit);
        return walked;
      }
      // Skipped unread, below.
    }
    if (field.type() == FieldDescriptor::TYPE_STRING && !in_budget &&
        length > budget::kMaxTextBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          PathText(path), ": a string of ", length, " bytes; expected at most ",
          budget::kMaxTextBytes, " (docs/limits.md)"));
    }
    // Protobuf refuses invalid UTF-8 in proto3 string fields.
    if (check_strings_ && field.type() == FieldDescriptor::TYPE_STRING &&
        field.file()->syntax() ==
            google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
      std::string text;
      if (!in_->ReadString(&text, length)) {
        return Malformed(path, absl::StrCat("truncated string at byte ", at));
      }
      const size_t bad = budget::FirstInvalidUtf8(text);
      if (bad != absl::string_view::npos) {
        return Malformed(path, absl::StrCat("invalid UTF-8 at byte ", bad,
                                            " of the string"));
      }
      return absl::OkStatus();
    }
    if (!in_->Skip(length)) {
      return Malformed(path, absl::StrCat("truncated bytes at byte ", at));
    }
    return absl::OkStatus();
  }

  static absl::Status Malformed(const WirePath* at, absl::string_view what) {
    const std::string path = PathText(at);
    return absl::InvalidArgumentError(
        absl::StrCat("request does not parse: ", path.empty() ? "" : path,
                     path.empty() ? "" : ": ", what));
  }

  CodedInputStream* const in_;
  const int64_t max_messages_;
  const bool check_strings_;
  int64_t messages_ = 0;
};

// Walks `raw` as a `type`: OK, or what is wrong and where.
absl::Status TakeCensus(const grpc::ByteBuffer& raw, const Descriptor& type,
                        int64_t max_messages, bool check_strings) {
  // The reader consumes its buffer; the copy shares the slices.
  grpc::ByteBuffer unread(raw);
  grpc::ProtoBufferReader reader(&unread);
  CodedInputStream in(&reader);
  in.SetTotalBytesLimit(INT32_MAX);
  in.PushLimit(static_cast<int>(raw.Length()));
  return Census(&in, max_messages, check_strings)
      .Walk(type, nullptr, 0, IsBudget(type));
}

}  // namespace

grpc::Status ParseRequestBytes(const grpc::ByteBuffer& raw,
                               google::protobuf::Message* request,
                               int64_t max_messages) {
  request->Clear();
  // gRPC still runs a raw method whose request never arrived whole (the
  // caller cancelled, or the transport reset the call past its memory
  // quota), with no bytes at all: not an empty request to answer.
  if (!raw.Valid()) {
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "the request did not arrive whole");
  }
  const Descriptor& type = *request->GetDescriptor();
  // The count and the framing before anything is built; the strings' UTF-8
  // is left to the parser, which checks it anyway, and looked for (to say
  // where) only when the parse fails: copying and checking every string
  // twice was a third of the census's cost on a 200-line budget.
  absl::Status checked =
      TakeCensus(raw, type, max_messages, /*check_strings=*/false);
  if (checked.ok()) {
    grpc::ByteBuffer unread(raw);
    grpc::ProtoBufferReader reader(&unread);
    if (request->ParseFromZeroCopyStream(&reader)) return grpc::Status::OK;
    request->Clear();
    checked = TakeCensus(raw, type, max_messages, /*check_strings=*/true);
    if (checked.ok()) {
      checked = absl::InvalidArgumentError(
          absl::StrCat("request does not parse as a ", request->GetTypeName()));
    }
  }
  return ToGrpcStatus(absl::Status(
      checked.code(),
      absl::StrCat(checked.message(), " (", raw.Length(), " bytes; expected a ",
                   request->GetTypeName(), ")")));
}

}  // namespace server_common
