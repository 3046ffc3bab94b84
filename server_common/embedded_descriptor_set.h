// The FileDescriptorSet that server reflection serves, compiled into the
// binary: protoc writes it with --include_imports --include_source_info
// (proto/CMakeLists.txt), and budget/catalog/embed_files.cmake turns it into
// a generated source (server_common/CMakeLists.txt), so that a server reads
// no file to describe itself. Only ServedProtos::Embedded reads it.
//
// Immutable static data; thread-safe.
#ifndef SERVER_COMMON_EMBEDDED_DESCRIPTOR_SET_H_
#define SERVER_COMMON_EMBEDDED_DESCRIPTOR_SET_H_

#include "budget/catalog/embedded_files.h"

namespace server_common::descriptor_set_internal {

// The entry embed_files.cmake writes, as for the catalog's files.
using budget::catalog_internal::EmbeddedFile;

// One file, "served_descriptor_set.binpb": the serialized
// google.protobuf.FileDescriptorSet.
extern const EmbeddedFile kEmbeddedFiles[];
extern const int kEmbeddedFileCount;

}  // namespace server_common::descriptor_set_internal

#endif  // SERVER_COMMON_EMBEDDED_DESCRIPTOR_SET_H_
