#include "budgetctl/units_registration.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/budget_file/units_file.h"
#include "budget/consolidation/unit_tree.h"
#include "budgetctl/exit_code.h"
#include "google/protobuf/util/message_differencer.h"

namespace budgetctl {
namespace {

using google::protobuf::util::MessageDifferencer;

// "units.units:12: " for unit `i` when its origin is known.
std::string Where(const std::vector<std::string>& origins, size_t i) {
  return i < origins.size() ? absl::StrCat(origins[i], ": ") : "";
}

// The registry as far as the caller may read it, into `tree`: all of it,
// or, for a caller whose role covers only some nodes (reviewer@SCOPE), the
// subtrees under the parents `units` attach to, each subtree's root taken
// as a root. The failed call's status, or INTERNAL for a listing that does
// not form a tree.
grpc::Status ReadRegistry(const std::vector<budget::v1::Unit>& units,
                          Services& services, budget::UnitTree* tree) {
  auto list = [&](const std::string& root,
                  budget::v1::ListUnitsResponse& listed) {
    budget::v1::ListUnitsRequest request;
    request.set_root_code(root);
    return services.Call([&](grpc::ClientContext& context) {
      return services.ingest().ListUnits(&context, request, &listed);
    });
  };
  auto internal = [](const absl::Status& status) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        std::string(status.message()));
  };
  budget::v1::ListUnitsResponse whole;
  grpc::Status listed = list("", whole);
  if (listed.ok()) {
    absl::StatusOr<budget::UnitTree> built =
        budget::UnitTree::Build({whole.units().begin(), whole.units().end()});
    if (!built.ok()) return internal(built.status());
    *tree = *std::move(built);
    return listed;
  }
  if (listed.error_code() != grpc::StatusCode::PERMISSION_DENIED) {
    return listed;
  }
  absl::flat_hash_set<std::string> in_file, roots;
  for (const budget::v1::Unit& unit : units) in_file.insert(unit.code());
  for (const budget::v1::Unit& unit : units) {
    if (!unit.parent_code().empty() && !in_file.contains(unit.parent_code())) {
      roots.insert(unit.parent_code());
    }
  }
  for (const std::string& root : roots) {
    budget::v1::ListUnitsResponse subtree;
    if (grpc::Status read = list(root, subtree); !read.ok()) return read;
    for (budget::v1::Unit unit : subtree.units()) {
      if (tree->Find(unit.code()) != nullptr) continue;  // Read under another.
      if (unit.code() == root) unit.clear_parent_code();
      if (absl::Status added = tree->Add(unit); !added.ok()) {
        return internal(added);
      }
    }
  }
  return grpc::Status::OK;
}

}  // namespace

int RegisterUnits(const std::vector<budget::v1::Unit>& units,
                  Services& services, std::ostream& out, std::ostream& err,
                  const std::vector<std::string>& origins) {
  // The registry, so that every unit is checked, with the service's own
  // rules (budget::UnitTree), against it and the units before it before
  // any is sent: an import is all or nothing. A caller who may read only
  // part of it checks against that part; the service refuses what it
  // could not see (a code registered elsewhere), after the units before.
  budget::UnitTree tree;
  if (grpc::Status read = ReadRegistry(units, services, &tree); !read.ok()) {
    return ReportFailure(read, "reading the registry",
                         services.options().ingest_address, err);
  }
  std::vector<size_t> to_send;
  absl::flat_hash_map<std::string, size_t> listed_at;  // Code -> index.
  int present = 0;
  int refused = 0;
  for (size_t i : budget::ParentsFirst(units)) {
    const budget::v1::Unit& unit = units[i];
    if (auto [first, inserted] = listed_at.emplace(unit.code(), i); !inserted) {
      err << Where(origins, i) << "unit " << unit.code()
          << " cannot be registered: listed twice";
      if (first->second < origins.size()) {
        err << " (also at " << origins[first->second] << ")";
      }
      err << "\n";
      ++refused;
      continue;
    }
    if (const budget::v1::Unit* known = tree.Find(unit.code());
        known != nullptr && MessageDifferencer::Equals(*known, unit)) {
      ++present;  // Registered exactly as given: done.
      continue;
    }
    absl::Status checked = tree.Add(unit);
    if (!checked.ok()) {
      err << Where(origins, i) << "unit " << unit.code()
          << " cannot be registered: " << checked.message() << "\n";
      ++refused;
      continue;
    }
    to_send.push_back(i);
  }
  if (refused > 0) {
    err << "budgetctl: " << refused
        << " unit(s) cannot be registered; none of the file was sent\n"
        << "  next: fix the lines listed above and import again\n";
    return kExitRejected;
  }
  std::vector<std::string> added;
  for (size_t i : to_send) {
    const budget::v1::Unit& unit = units[i];
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = services.Call([&](grpc::ClientContext& context) {
      return services.ingest().RegisterUnit(&context, request, &response);
    });
    if (!status.ok()) {
      // Only a failure the checks could not foresee (the store, the
      // network, another client registering meanwhile) stops half way:
      // say exactly what is registered.
      err << Where(origins, i) << "unit " << unit.code() << " not registered\n";
      err << "budgetctl: registered " << added.size()
          << " unit(s) before the failure" << (added.empty() ? "" : ": ")
          << absl::StrJoin(added, ", ") << "; the units after " << unit.code()
          << " were not sent\n";
      return ReportFailure(
          status, absl::StrCat(Where(origins, i), "registering ", unit.code()),
          services.options().ingest_address, err);
    }
    added.push_back(unit.code());
  }
  out << "registered " << added.size() << " unit(s); " << present
      << " already present\n";
  return kExitOk;
}

}  // namespace budgetctl
