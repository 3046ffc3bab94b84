#include "budgetctl/units_registration.h"

#include "absl/strings/str_cat.h"
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
                  Services& services, std::ostream& out, std::ostream& err) {
  int added = 0;
  for (const budget::v1::Unit& unit : units) {
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = services.Call([&](grpc::ClientContext& context) {
      return services.ingest().RegisterUnit(&context, request, &response);
    });
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS &&
        AlreadyRegistered(unit, services)) {
      continue;
    }
    if (!status.ok()) {
      return ReportFailure(status, absl::StrCat("registering ", unit.code()),
                           services.options().ingest_address, err);
    }
    ++added;
  }
  out << "registered " << added << " unit(s); " << units.size() - added
      << " already present\n";
  return kExitOk;
}

}  // namespace budgetctl
