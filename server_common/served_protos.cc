#include "server_common/served_protos.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "server_common/embedded_descriptor_set.h"

namespace server_common {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

absl::StatusOr<std::unique_ptr<ServedProtos>> ServedProtos::Parse(
    absl::string_view file_descriptor_set) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(file_descriptor_set.data(),
                          static_cast<int>(file_descriptor_set.size()))) {
    return absl::InvalidArgumentError(
        "the descriptor set does not parse as a FileDescriptorSet");
  }
  std::unique_ptr<ServedProtos> protos(new ServedProtos());
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (protos->pool_.BuildFile(file) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the descriptor set's ", file.name(),
          " does not build (an import missing or after it, or a name "
          "defined twice)"));
    }
    protos->serialized_[file.name()] = file.SerializeAsString();
  }
  return protos;
}

absl::StatusOr<const ServedProtos*> ServedProtos::Embedded() {
  // Built once; never destroyed, as servers may answer until exit.
  static const auto* const embedded =
      new absl::StatusOr<std::unique_ptr<ServedProtos>>([] {
        if (descriptor_set_internal::kEmbeddedFileCount != 1) {
          return absl::StatusOr<std::unique_ptr<ServedProtos>>(
              absl::InternalError("no descriptor set compiled in"));
        }
        const descriptor_set_internal::EmbeddedFile& file =
            descriptor_set_internal::kEmbeddedFiles[0];
        return Parse(absl::string_view(reinterpret_cast<const char*>(file.data),
                                       file.size));
      }());
  if (!embedded->ok()) return embedded->status();
  return embedded->value().get();
}

const FileDescriptor* ServedProtos::FindFile(const std::string& name) const {
  return pool_.FindFileByName(name);
}

const FileDescriptor* ServedProtos::FindFileContainingSymbol(
    const std::string& symbol) const {
  return pool_.FindFileContainingSymbol(symbol);
}

const FileDescriptor* ServedProtos::FindFileContainingExtension(
    const std::string& extendee, int number) const {
  const Descriptor* type = pool_.FindMessageTypeByName(extendee);
  if (type == nullptr) return nullptr;
  const FieldDescriptor* extension = pool_.FindExtensionByNumber(type, number);
  return extension == nullptr ? nullptr : extension->file();
}

bool ServedProtos::FindExtensionNumbers(const std::string& extendee,
                                        std::vector<int>* numbers) const {
  const Descriptor* type = pool_.FindMessageTypeByName(extendee);
  if (type == nullptr) return false;
  std::vector<const FieldDescriptor*> extensions;
  pool_.FindAllExtensions(type, &extensions);
  numbers->clear();
  for (const FieldDescriptor* extension : extensions) {
    numbers->push_back(extension->number());
  }
  return true;
}

const std::string& ServedProtos::SerializedFile(
    const FileDescriptor& file) const {
  return serialized_.at(file.name());
}

}  // namespace server_common
