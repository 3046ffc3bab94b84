// The ancestry of a registry node as authorization wants it
// (auth::Target::lineage): the node's code, its parent's, up to the root;
// empty for an unregistered node.
//
// Pure function; thread-compatible with the tree.
#ifndef AUTH_LINEAGE_H_
#define AUTH_LINEAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/consolidation/unit_tree.h"

namespace auth {

std::vector<std::string> Lineage(const budget::UnitTree& tree,
                                 absl::string_view node_code);

}  // namespace auth

#endif  // AUTH_LINEAGE_H_
