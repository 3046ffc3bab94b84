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

// The field `tag` names when the parser reads it into a field of `type`;
// null when it keeps it among the unknown fields instead (a number the
// type does not know, or a wire type the field cannot have).
const FieldDescriptor* KnownField(const Descriptor& type, uint32_t tag) {
  const FieldDescriptor* field =
      type.FindFieldByNumber(WireFormat::GetTagFieldNumber(tag));
  if (field == nullptr) return nullptr;
  const WireFormat::WireType wire_type = WireFormat::GetTagWireType(tag);
  if (wire_type == WireFormat::WireTypeForFieldType(
                       static_cast<WireFormat::FieldType>(field->type()))) {
    return field;
  }
  const bool packed_form = field->is_packable() &&
                           wire_type == WireFormat::WIRETYPE_LENGTH_DELIMITED;
  return packed_form ? field : nullptr;
}

// Whether a message of `type` can hold no nested message (an expenditure
// line): then each object it parses into (an unknown field, an element of
// a repeated field) takes at least one of its bytes.
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

// How closely a census reads the bytes.
enum class Pass {
  // Strings unread; a budget's messages that hold no messages are skipped
  // unread too, counted as one object per byte (a bound: 200 lines of ~45
  // bytes are 9,000 of the 400,000 allowed). Reading each field of 200
  // lines was 8 % of the ingest service's CPU (docs/benchmarks.md, round
  // 26); their framing is left to the parser.
  kQuick,
  // Strings unread; every message walked and every object counted: when
  // the bound of kQuick comes to more than the limit.
  kExact,
  // kExact, and each proto3 string's UTF-8 checked (as protobuf's parser
  // does): after a failed parse, to say where the bytes are wrong.
  kDiagnose,
};

// Walks the bytes of one message of `type`, counting what the parser would
// allocate an object for: each nested message, each element of a repeated
// field, and each field it keeps as unknown (inside an unknown group too). A
// request of 16 MB of empty unknown fields parsed into ~490 MB, and 16 MB of
// empty lines into gigabytes, before either was counted. It also refuses a
// string field longer than budget::kMaxTextBytes outside a unit budget (codes,
// names, request ids, comments: each is stored, logged or echoed, so a megabyte
// of one cost the store, the logs and the replies that much); inside a budget
// the validator reports it (BGT-E091). How closely it reads: `pass`.
class Census {
 public:
  Census(CodedInputStream* in, int64_t max_objects, Pass pass)
      : in_(in), max_objects_(max_objects), pass_(pass) {}

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
      if (tag == 0) return BadTag(path, at);
      const FieldDescriptor* field = KnownField(type, tag);
      const WirePath here{path, field, WireFormat::GetTagFieldNumber(tag)};
      absl::Status read;
      if (field == nullptr || field->type() == FieldDescriptor::TYPE_GROUP) {
        // A proto2 group is counted field by field, as an unknown one.
        read = SkipUnknown(tag, &here, at, depth);
      } else if (WireFormat::GetTagWireType(tag) !=
                 WireFormat::WIRETYPE_LENGTH_DELIMITED) {
        if (field->is_repeated()) read = Count();
        if (read.ok() && !WireFormat::SkipField(in_, tag)) {
          read = BadValue(&here, at);
        }
      } else if (field->is_packable()) {
        read = SkipPacked(*field, &here, at);
      } else {
        read = ReadDelimited(*field, &here, at, depth, in_budget);
      }
      if (!read.ok()) return read;
    }
    return absl::OkStatus();
  }

 private:
  // `objects` more the parser would allocate.
  absl::Status Count(int64_t objects = 1) {
    objects_ += objects;
    if (objects_ <= max_objects_) return absl::OkStatus();
    return absl::ResourceExhaustedError(absl::StrCat(
        "request holds more than ", max_objects_,
        " nested messages, repeated texts and unknown fields (lines, "
        "projects, indicators, cut values, fields this service does not "
        "know); the limit is ",
        max_objects_, " (--max_request_messages, docs/limits.md)"));
  }

  // Counts and skips a field the parser keeps as unknown; an unknown group
  // keeps each field inside it, so those are counted too.
  absl::Status SkipUnknown(uint32_t tag, const WirePath* path, int at,
                           int depth) {
    if (absl::Status counted = Count(); !counted.ok()) return counted;
    if (WireFormat::GetTagWireType(tag) != WireFormat::WIRETYPE_START_GROUP) {
      return WireFormat::SkipField(in_, tag) ? absl::OkStatus()
                                             : BadValue(path, at);
    }
    if (depth >= kMaxDepth) {
      return Malformed(path,
                       absl::StrCat("groups nested deeper than ", kMaxDepth));
    }
    const uint32_t end = WireFormat::MakeTag(WireFormat::GetTagFieldNumber(tag),
                                             WireFormat::WIRETYPE_END_GROUP);
    while (true) {
      const int inner_at = in_->CurrentPosition();
      const uint32_t inner = in_->ReadTag();
      if (inner == end) return absl::OkStatus();
      if (inner == 0 ||
          WireFormat::GetTagWireType(inner) == WireFormat::WIRETYPE_END_GROUP) {
        return BadTag(path, inner_at);
      }
      const WirePath here{path, nullptr, WireFormat::GetTagFieldNumber(inner)};
      absl::Status skipped = SkipUnknown(inner, &here, inner_at, depth + 1);
      if (!skipped.ok()) return skipped;
    }
  }

  // The length of a length-delimited field, within the enclosing message.
  absl::Status ReadLength(const WirePath* path, int at, uint32_t& length) {
    if (in_->ReadVarint32(&length) &&
        static_cast<int64_t>(length) <= in_->BytesUntilLimit()) {
      return absl::OkStatus();
    }
    return Malformed(path, absl::StrCat("length at byte ", at,
                                        " runs past the end (truncated)"));
  }

  // Counts and skips the packed elements of a repeated number field: at
  // most one per byte of varints, one per 4 or 8 bytes of fixed ones.
  absl::Status SkipPacked(const FieldDescriptor& field, const WirePath* path,
                          int at) {
    uint32_t length = 0;
    if (absl::Status read = ReadLength(path, at, length); !read.ok()) {
      return read;
    }
    int64_t elements = length;
    switch (WireFormat::WireTypeForFieldType(
        static_cast<WireFormat::FieldType>(field.type()))) {
      case WireFormat::WIRETYPE_FIXED32:
        elements = length / 4;
        break;
      case WireFormat::WIRETYPE_FIXED64:
        elements = length / 8;
        break;
      default:
        break;
    }
    if (absl::Status counted = Count(elements); !counted.ok()) return counted;
    in_->Skip(static_cast<int>(length));  // Within the limit, checked above.
    return absl::OkStatus();
  }

  absl::Status ReadDelimited(const FieldDescriptor& field, const WirePath* path,
                             int at, int depth, bool in_budget) {
    uint32_t length = 0;
    if (absl::Status read = ReadLength(path, at, length); !read.ok()) {
      return read;
    }
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      if (absl::Status counted = Count(); !counted.ok()) return counted;
      const Descriptor& type = *field.message_type();
      if (pass_ == Pass::kQuick && in_budget && HoldsNoMessages(type)) {
        if (absl::Status counted = Count(length); !counted.ok()) return counted;
        in_->Skip(static_cast<int>(length));  // Within the limit, checked.
        return absl::OkStatus();
      }
      const CodedInputStream::Limit limit = in_->PushLimit(length);
      absl::Status walked =
          Walk(type, path, depth + 1, in_budget || IsBudget(type));
      in_->PopLimit(limit);
      return walked;
    }
    if (field.is_repeated()) {
      if (absl::Status counted = Count(); !counted.ok()) return counted;
    }
    if (field.type() == FieldDescriptor::TYPE_STRING && !in_budget &&
        length > budget::kMaxTextBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          PathText(path), ": a string of ", length, " bytes; expected at most ",
          budget::kMaxTextBytes, " (docs/limits.md)"));
    }
    // Protobuf refuses invalid UTF-8 in proto3 string fields.
    if (pass_ == Pass::kDiagnose &&
        field.type() == FieldDescriptor::TYPE_STRING &&
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
  static absl::Status BadTag(const WirePath* at, int byte) {
    return Malformed(at,
                     absl::StrCat("bad or truncated field tag at byte ", byte));
  }
  static absl::Status BadValue(const WirePath* at, int byte) {
    return Malformed(
        at, absl::StrCat("truncated or malformed value at byte ", byte));
  }

  CodedInputStream* const in_;
  const int64_t max_objects_;
  const Pass pass_;
  int64_t objects_ = 0;
};

// Walks `raw` as a `type`: OK, or what is wrong and where.
absl::Status TakeCensus(const grpc::ByteBuffer& raw, const Descriptor& type,
                        int64_t max_objects, Pass pass) {
  // The reader consumes its buffer; the copy shares the slices.
  grpc::ByteBuffer unread(raw);
  grpc::ProtoBufferReader reader(&unread);
  CodedInputStream in(&reader);
  in.SetTotalBytesLimit(INT32_MAX);
  in.PushLimit(static_cast<int>(raw.Length()));
  return Census(&in, max_objects, pass).Walk(type, nullptr, 0, IsBudget(type));
}

}  // namespace

grpc::Status ParseRequestBytes(const grpc::ByteBuffer& raw,
                               google::protobuf::Message* request,
                               int64_t max_objects) {
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
  absl::Status checked = TakeCensus(raw, type, max_objects, Pass::kQuick);
  if (absl::IsResourceExhausted(checked)) {
    checked = TakeCensus(raw, type, max_objects, Pass::kExact);
  }
  if (checked.ok()) {
    grpc::ByteBuffer unread(raw);
    grpc::ProtoBufferReader reader(&unread);
    if (request->ParseFromZeroCopyStream(&reader)) return grpc::Status::OK;
    request->Clear();
    checked = TakeCensus(raw, type, max_objects, Pass::kDiagnose);
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
