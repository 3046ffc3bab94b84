// The protos a server describes through reflection
// (descriptor_reflection_service.h), with their comments: a
// FileDescriptorSet built into a DescriptorPool, to resolve names, beside
// each file's FileDescriptorProto as serialized bytes, to send. The pool
// answers what protobuf's generated pool would, but the bytes carry
// source_code_info, which the generated code leaves out, so that a client
// such as grpcurl shows the proto comments (the public API docs).
//
// Immutable once made; thread-safe.
#ifndef SERVER_COMMON_SERVED_PROTOS_H_
#define SERVER_COMMON_SERVED_PROTOS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace server_common {

class ServedProtos {
 public:
  // Builds `file_descriptor_set` (a serialized FileDescriptorSet whose
  // files come after their imports, as protoc --include_imports writes
  // them). INVALID_ARGUMENT when it does not parse or a file does not build.
  static absl::StatusOr<std::unique_ptr<ServedProtos>> Parse(
      absl::string_view file_descriptor_set);

  // The set compiled into the binary (embedded_descriptor_set.h), built on
  // the first call and kept for the life of the process.
  static absl::StatusOr<const ServedProtos*> Embedded();

  // Each nullptr when not found. A symbol is the full name of a package,
  // service, method, message, field, enum or enum value, nested ones
  // included ("budget.v1.QueryService.GetTable").
  const google::protobuf::FileDescriptor* FindFile(
      const std::string& name) const;
  const google::protobuf::FileDescriptor* FindFileContainingSymbol(
      const std::string& symbol) const;
  const google::protobuf::FileDescriptor* FindFileContainingExtension(
      const std::string& extendee, int number) const;
  // The field numbers of every extension of message type `extendee`, in
  // no particular order; false when there is no such type.
  bool FindExtensionNumbers(const std::string& extendee,
                            std::vector<int>* numbers) const;

  // The FileDescriptorProto of `file` (one of this pool's), serialized as
  // the set held it, source_code_info included.
  const std::string& SerializedFile(
      const google::protobuf::FileDescriptor& file) const;

 private:
  ServedProtos() = default;

  google::protobuf::DescriptorPool pool_;
  // By file name.
  std::map<std::string, std::string> serialized_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_SERVED_PROTOS_H_
