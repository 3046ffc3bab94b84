#include "budget/publication/publication_data.h"

namespace budget {

const v1::DisclosureTable& PublicationData::Table(absl::string_view id) const {
  static const auto* empty = new v1::DisclosureTable;
  auto it = tables.find(std::string(id));
  return it == tables.end() ? *empty : it->second;
}

int64_t TableTotalFen(const v1::DisclosureTable& table) {
  for (const v1::TableRow& row : table.body_rows()) {
    if (row.kind() != v1::ROW_KIND_TOTAL) continue;
    for (const v1::TableCell& cell : row.cells()) {
      if (cell.has_amount_fen()) return cell.amount_fen();
      if (cell.has_masked()) return 0;
    }
    return 0;
  }
  return 0;
}

}  // namespace budget
