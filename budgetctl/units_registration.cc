#include "budgetctl/units_registration.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/budget_file/units_file.h"
#include "budgetctl/exit_code.h"
#include "google/protobuf/util/message_differencer.h"

namespace budgetctl {
namespace {

// True when `unit` is in the registry exactly as given.
bool AlreadyRegistered(const budget::v1::Unit& unit, Services& services) {
  budget::v1::ListUnitsRequest request;
  request.set_root_code(unit.code());
  budget::v1::ListUnitsResponse response;
  grpc::Status status = services.Call([&](grpc::ClientContext& context) {
    return services.ingest().ListUnits(&context, request, &response);
  });
  return status.ok() && response.units_size() > 0 &&
         google::protobuf::util::MessageDifferencer::Equals(response.units(0),
                                                            unit);
}

}  // namespace

int RegisterUnits(const std::vector<budget::v1::Unit>& units,
                  Services& services, std::ostream& out, std::ostream& err,
                  const std::vector<std::string>& origins) {
  std::vector<std::string> added;
  int present = 0;
  for (size_t i : budget::ParentsFirst(units)) {
    const budget::v1::Unit& unit = units[i];
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = services.Call([&](grpc::ClientContext& context) {
      return services.ingest().RegisterUnit(&context, request, &response);
    });
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS &&
        AlreadyRegistered(unit, services)) {
      ++present;
      continue;
    }
    if (!status.ok()) {
      const std::string where =
          i < origins.size() ? absl::StrCat(origins[i], ": ") : "";
      err << where << "unit " << unit.code() << " not registered\n";
      err << "budgetctl: registered " << added.size()
          << " unit(s) before the failure" << (added.empty() ? "" : ": ")
          << absl::StrJoin(added, ", ") << "; the units after " << unit.code()
          << " were not sent\n";
      return ReportFailure(status,
                           absl::StrCat(where, "registering ", unit.code()),
                           services.options().ingest_address, err);
    }
    added.push_back(unit.code());
  }
  out << "registered " << added.size() << " unit(s); " << present
      << " already present\n";
  return kExitOk;
}

}  // namespace budgetctl
