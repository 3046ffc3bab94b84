#include "auth/lineage.h"

namespace auth {

std::vector<std::string> Lineage(const budget::UnitTree& tree,
                                 absl::string_view node_code) {
  std::vector<std::string> lineage;
  if (node_code.empty() || tree.Find(node_code) == nullptr) return lineage;
  for (const budget::v1::Unit* unit : tree.PathToRoot(node_code)) {
    lineage.push_back(unit->code());
  }
  return lineage;
}

}  // namespace auth
