#include "budgetctl/export_file.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/delimited_message_util.h"

namespace budgetctl {

absl::Status WriteExportRecord(const budget::v1::ExportRecord& record,
                               std::ostream& out) {
  if (!google::protobuf::util::SerializeDelimitedToOstream(record, &out)) {
    return absl::DataLossError(
        "could not write the export file: check the "
        "free disk space");
  }
  return absl::OkStatus();
}

absl::StatusOr<budget::v1::ExportRecord> ExportReader::Next() {
  {
    // Peeking one byte tells a clean end of file from a cut record.
    const void* data;
    int size;
    if (!stream_.Next(&data, &size)) {
      return absl::OutOfRangeError("end of export file");
    }
    stream_.BackUp(size);
  }
  budget::v1::ExportRecord record;
  bool clean_eof = false;
  if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(
          &record, &stream_, &clean_eof)) {
    return absl::DataLossError(
        "the export file is cut short or corrupt: export it again");
  }
  return record;
}

}  // namespace budgetctl
