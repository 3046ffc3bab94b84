// The file `budgetctl export` writes and `budgetctl import` reads: the
// ExportBudget stream as it came, each budget.v1.ExportRecord written as a
// varint length followed by the record's bytes (protobuf's delimited
// format, readable with parseDelimitedFrom in Java, Go's protodelim, or
// google::protobuf::util::ParseDelimitedFromZeroCopyStream). Binary rather
// than JSON lines so that amounts and codes come back bit for bit.
//
// Writer and Reader own nothing but the stream they are given, which must
// outlive them. Not thread-safe.
#ifndef BUDGETCTL_EXPORT_FILE_H_
#define BUDGETCTL_EXPORT_FILE_H_

#include <istream>
#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "budget/v1/query_service.pb.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"

namespace budgetctl {

// Appends one record; DATA_LOSS when the stream fails.
absl::Status WriteExportRecord(const budget::v1::ExportRecord& record,
                               std::ostream& out);

class ExportReader {
 public:
  explicit ExportReader(std::istream* in) : stream_(in) {}

  // The next record; OUT_OF_RANGE at the clean end of the file, DATA_LOSS
  // when the file is cut or corrupt.
  absl::StatusOr<budget::v1::ExportRecord> Next();
  // Bytes consumed so far, for a progress bar.
  int64_t position() const { return stream_.ByteCount(); }

 private:
  google::protobuf::io::IstreamInputStream stream_;
};

}  // namespace budgetctl

#endif  // BUDGETCTL_EXPORT_FILE_H_
