#include "budget/consolidation/unit_tree.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace budget {
namespace {

bool IsRegistryCode(absl::string_view code) {
  return !code.empty() && code.size() <= 32 &&
         std::all_of(code.begin(), code.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

}  // namespace

absl::Status UnitTree::CheckAdd(const v1::Unit& unit) const {
  if (!IsRegistryCode(unit.code())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit code \"", unit.code(), "\" must be 1 to 32 digits"));
  }
  if (unit.name().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit ", unit.code(), " has no name"));
  }
  if (unit.kind() == v1::UNIT_KIND_UNSPECIFIED ||
      !v1::UnitKind_IsValid(unit.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit ", unit.code(), " has no valid kind"));
  }
  if (auto it = nodes_.find(unit.code()); it != nodes_.end()) {
    // Both sides named, so a caller who meant another code sees which unit
    // already holds it, and one who retried sees what it registered.
    const v1::Unit& held = it->second->unit;
    return absl::AlreadyExistsError(
        absl::StrCat("unit ", unit.code(), " is already registered as \"",
                     held.name(), "\" under parent \"", held.parent_code(),
                     "\" (", v1::UnitKind_Name(held.kind()), "); given \"",
                     unit.name(), "\" under parent \"", unit.parent_code(),
                     "\" (", v1::UnitKind_Name(unit.kind()), ")"));
  }
  if (unit.parent_code() == unit.code()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit ", unit.code(), " names itself as parent (cycle)"));
  }
  if (!unit.parent_code().empty() && !nodes_.contains(unit.parent_code())) {
    return absl::InvalidArgumentError(absl::StrCat("unit ", unit.code(),
                                                   " names unknown parent \"",
                                                   unit.parent_code(), "\""));
  }
  return absl::OkStatus();
}

absl::Status UnitTree::Add(const v1::Unit& unit) {
  if (absl::Status checked = CheckAdd(unit); !checked.ok()) return checked;
  auto node = std::make_unique<Node>();
  node->unit = unit;
  Node* parent = unit.parent_code().empty()
                     ? nullptr
                     : nodes_.at(unit.parent_code()).get();
  node->parent = parent;
  std::vector<Node*>& siblings = parent ? parent->children : roots_;
  Node* raw = node.get();
  siblings.insert(std::upper_bound(siblings.begin(), siblings.end(), raw,
                                   [](const Node* a, const Node* b) {
                                     return a->unit.code() < b->unit.code();
                                   }),
                  raw);
  nodes_.emplace(unit.code(), std::move(node));
  return absl::OkStatus();
}

absl::StatusOr<UnitTree> UnitTree::Build(const std::vector<v1::Unit>& units) {
  absl::flat_hash_map<std::string, const v1::Unit*> by_code;
  for (const v1::Unit& unit : units) {
    if (!by_code.emplace(unit.code(), &unit).second) {
      return absl::AlreadyExistsError(
          absl::StrCat("unit ", unit.code(), " is listed twice"));
    }
  }
  // Adds parents before children; a walk that revisits a node on its own
  // path is a cycle, one that leaves the list is an orphan.
  UnitTree tree;
  absl::flat_hash_set<std::string> on_path;
  std::vector<const v1::Unit*> path;
  for (const v1::Unit& start : units) {
    path.clear();
    on_path.clear();
    const v1::Unit* cursor = &start;
    while (cursor != nullptr && !tree.nodes_.contains(cursor->code())) {
      if (!on_path.insert(cursor->code()).second) {
        std::vector<std::string> codes;
        for (const v1::Unit* u : path) codes.push_back(u->code());
        return absl::InvalidArgumentError(
            absl::StrCat("units form a cycle: ", absl::StrJoin(codes, " -> "),
                         " -> ", cursor->code()));
      }
      path.push_back(cursor);
      if (cursor->parent_code().empty()) break;
      auto parent = by_code.find(cursor->parent_code());
      if (parent == by_code.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("unit ", cursor->code(), " names unknown parent \"",
                         cursor->parent_code(), "\" (orphan)"));
      }
      cursor = parent->second;
    }
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      if (absl::Status added = tree.Add(**it); !added.ok()) return added;
    }
  }
  return tree;
}

const v1::Unit* UnitTree::Find(absl::string_view code) const {
  auto it = nodes_.find(code);
  return it == nodes_.end() ? nullptr : &it->second->unit;
}

bool UnitTree::HasChildren(absl::string_view code) const {
  auto it = nodes_.find(code);
  return it != nodes_.end() && !it->second->children.empty();
}

std::vector<const v1::Unit*> UnitTree::Children(absl::string_view code) const {
  std::vector<const v1::Unit*> out;
  auto it = nodes_.find(code);
  if (it == nodes_.end()) return out;
  for (const Node* child : it->second->children) out.push_back(&child->unit);
  return out;
}

std::vector<const v1::Unit*> UnitTree::Roots() const {
  std::vector<const v1::Unit*> out;
  for (const Node* root : roots_) out.push_back(&root->unit);
  return out;
}

std::vector<const v1::Unit*> UnitTree::PathToRoot(
    absl::string_view code) const {
  std::vector<const v1::Unit*> out;
  auto it = nodes_.find(code);
  for (const Node* n = it == nodes_.end() ? nullptr : it->second.get();
       n != nullptr; n = n->parent) {
    out.push_back(&n->unit);
  }
  return out;
}

std::vector<UnitTree::Visit> UnitTree::Subtree(absl::string_view code) const {
  std::vector<Visit> out;
  auto it = nodes_.find(code);
  if (it == nodes_.end()) return out;
  // Explicit stack: trees may be deep, and recursion depth is not ours to
  // bound.
  std::vector<std::pair<const Node*, int>> stack = {{it->second.get(), 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    out.push_back({&node->unit, depth});
    for (auto child = node->children.rbegin(); child != node->children.rend();
         ++child) {
      stack.push_back({*child, depth + 1});
    }
  }
  return out;
}

bool UnitTree::IsWithin(absl::string_view node,
                        absl::string_view ancestor) const {
  auto it = nodes_.find(node);
  for (const Node* n = it == nodes_.end() ? nullptr : it->second.get();
       n != nullptr; n = n->parent) {
    if (n->unit.code() == ancestor) return true;
  }
  return false;
}

const v1::Unit* UnitTree::LowestCommonAncestor(absl::string_view a,
                                               absl::string_view b) const {
  std::vector<const v1::Unit*> path_a = PathToRoot(a);
  for (const v1::Unit* candidate : path_a) {
    if (IsWithin(b, candidate->code())) return candidate;
  }
  return nullptr;
}

}  // namespace budget
