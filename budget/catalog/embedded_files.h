// The catalog CSV files compiled into the binary by embed_files.cmake. Only
// the catalog loader reads them. Immutable static data; thread-safe.
#ifndef BUDGET_CATALOG_EMBEDDED_FILES_H_
#define BUDGET_CATALOG_EMBEDDED_FILES_H_

#include <cstddef>

namespace budget::catalog_internal {

// One file embed_files.cmake wrote (server_common/embedded_descriptor_set.h
// uses it too).
struct EmbeddedFile {
  const char*
      name;  // File name under data/catalog/, e.g. "function_codes.csv".
  const unsigned char* data;
  size_t size;  // Bytes, without the terminating 0 the generator appends.
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const int kEmbeddedFileCount;

}  // namespace budget::catalog_internal

#endif  // BUDGET_CATALOG_EMBEDDED_FILES_H_
