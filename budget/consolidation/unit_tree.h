// The unit registry as a tree: departments consolidate their units, a city
// consolidates its departments, to any depth.
//
// Not thread-safe for writes; callers that share a tree across threads hold
// it behind their own lock or publish an immutable copy.
#ifndef BUDGET_CONSOLIDATION_UNIT_TREE_H_
#define BUDGET_CONSOLIDATION_UNIT_TREE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"

namespace budget {

class UnitTree {
 public:
  UnitTree() = default;

  // Adds a node. INVALID_ARGUMENT for a malformed code, a missing name or
  // kind, or an unknown parent; ALREADY_EXISTS for a duplicate code. A node
  // whose parent is itself is rejected as a cycle; since parents must exist
  // first, no other cycle can form.
  absl::Status Add(const v1::Unit& unit);
  // What Add would return, without adding: lets a caller check a node
  // before storing it elsewhere, in constant time.
  absl::Status CheckAdd(const v1::Unit& unit) const;

  // Builds a tree from entries in any order, rejecting orphans (parents
  // never listed), cycles and duplicates, each named in the error.
  static absl::StatusOr<UnitTree> Build(const std::vector<v1::Unit>& units);

  // nullptr when unknown.
  const v1::Unit* Find(absl::string_view code) const;
  // Direct children in code order.
  std::vector<const v1::Unit*> Children(absl::string_view code) const;
  // True when `code` has at least one child (false when unknown).
  bool HasChildren(absl::string_view code) const;
  // Roots in code order.
  std::vector<const v1::Unit*> Roots() const;
  // `code` itself, then its parent, up to the root. Empty when unknown.
  std::vector<const v1::Unit*> PathToRoot(absl::string_view code) const;
  // `code` and every node below it, depth-first, parents before children,
  // siblings in code order, with depth 0 for `code`.
  struct Visit {
    const v1::Unit* unit;
    int depth;
  };
  std::vector<Visit> Subtree(absl::string_view code) const;
  // True when `node` is `ancestor` or lies below it.
  bool IsWithin(absl::string_view node, absl::string_view ancestor) const;
  // The lowest node that has both a and b within it; nullptr when they are
  // in different trees or unknown.
  const v1::Unit* LowestCommonAncestor(absl::string_view a,
                                       absl::string_view b) const;

  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    v1::Unit unit;
    Node* parent = nullptr;
    std::vector<Node*> children;  // In code order.
  };

  absl::flat_hash_map<std::string, std::unique_ptr<Node>> nodes_;
  std::vector<Node*> roots_;  // In code order.
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_UNIT_TREE_H_
