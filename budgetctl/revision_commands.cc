// `budgetctl history|review|lock|watch`: the life of submitted revisions.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/json_output.h"
#include "google/protobuf/util/time_util.h"

namespace budgetctl {
namespace {

std::string Reviewer(const Args& args, absl::string_view option) {
  const char* user = std::getenv("USER");
  return args.Get(option, user != nullptr ? user : "budgetctl");
}

// Reads UNIT and YEAR, the first two positional arguments.
bool ParseUnitYear(const std::vector<std::string>& positional,
                   std::string* unit, int* year) {
  if (positional.size() < 2) return false;
  *unit = positional[0];
  return absl::SimpleAtoi(positional[1], year);
}

int History(const CommandContext& context) {
  budget::v1::ListSubmissionsRequest request;
  int year = 0;
  if (context.args.positional().size() != 2 ||
      !ParseUnitYear(context.args.positional(), request.mutable_unit_code(),
                     &year)) {
    return context.UsageError("give UNIT and YEAR");
  }
  request.set_fiscal_year(year);
  request.set_metadata_only(true);
  budget::v1::ListSubmissionsResponse response;
  // Every page: a unit may have more revisions than one reply holds.
  do {
    budget::v1::ListSubmissionsResponse page;
    grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
      return context.services.ingest().ListSubmissions(&call, request, &page);
    });
    if (!status.ok()) {
      return ReportFailure(status, "history",
                           context.services.options().ingest_address,
                           context.err);
    }
    for (budget::v1::Submission& s : *page.mutable_submissions()) {
      *response.add_submissions() = std::move(s);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  // Said, not left blank: a script or a reader cannot tell an empty answer
  // from a command that printed nothing by mistake.
  if (response.submissions().empty()) {
    context.out << "nothing stored: " << request.unit_code()
                << " has no budget for " << year << "\n";
  }
  for (const budget::v1::Submission& s : response.submissions()) {
    context.out << "revision " << s.revision() << "\t"
                << google::protobuf::util::TimeUtil::ToString(s.submitted_at())
                << "\t" << s.submitted_by() << "\t" << StageText(s.stage())
                << "\t" << s.warnings_size() << " warning(s)";
    for (const budget::v1::Review& review : s.reviews()) {
      context.out << "\t"
                  << budget::v1::ReviewDecision_Name(review.decision())
                         .substr(sizeof("REVIEW_DECISION_") - 1)
                  << " by " << review.reviewer();
      if (!review.comment().empty()) context.out << ": " << review.comment();
    }
    context.out << "\n";
  }
  return kExitOk;
}

int ReviewCommand(const CommandContext& context) {
  budget::v1::ReviewSubmissionRequest request;
  int year = 0;
  int64_t revision = 0;
  const std::vector<std::string>& positional = context.args.positional();
  if (positional.size() != 3 ||
      !ParseUnitYear(positional, request.mutable_unit_code(), &year) ||
      !absl::SimpleAtoi(positional[2], &revision)) {
    return context.UsageError("give UNIT, YEAR and REVISION");
  }
  if (context.args.Has("approve") == context.args.Has("return")) {
    return context.UsageError("say either --approve or --return");
  }
  request.set_fiscal_year(year);
  request.set_revision(revision);
  request.set_decision(context.args.Has("approve")
                           ? budget::v1::REVIEW_DECISION_APPROVED
                           : budget::v1::REVIEW_DECISION_RETURNED);
  request.set_comment(context.args.Get("comment", ""));
  request.set_reviewer(Reviewer(context.args, "reviewer"));
  budget::v1::Review review;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.ingest().ReviewSubmission(&call, request, &review);
  });
  if (!status.ok()) {
    return ReportFailure(status, "review",
                         context.services.options().ingest_address,
                         context.err);
  }
  context.out << "revision " << review.revision() << " of "
              << review.unit_code() << " " << review.fiscal_year() << ": "
              << budget::v1::ReviewDecision_Name(review.decision()) << "\n";
  return kExitOk;
}

int Lock(const CommandContext& context) {
  budget::v1::LockYearRequest request;
  int year = 0;
  if (context.args.positional().size() != 2 ||
      !ParseUnitYear(context.args.positional(), request.mutable_node_code(),
                     &year)) {
    return context.UsageError("give NODE and YEAR");
  }
  request.set_fiscal_year(year);
  request.set_locked_by(Reviewer(context.args, "by"));
  budget::v1::LockYearResponse response;
  grpc::Status status = context.services.Call([&](grpc::ClientContext& call) {
    return context.services.ingest().LockYear(&call, request, &response);
  });
  if (!status.ok()) {
    return ReportFailure(
        status, "lock", context.services.options().ingest_address, context.err);
  }
  context.out << "locked " << response.node_code() << " "
              << response.fiscal_year() << " at consolidated revision "
              << response.consolidated_revision() << "\n";
  return kExitOk;
}

// Streams until the service ends the stream or the user presses Ctrl-C;
// one JSON line per event so that the output pipes into other tools.
int Watch(const CommandContext& context) {
  if (context.args.positional().size() != 1) {
    return context.UsageError("give the NODE to watch");
  }
  absl::StatusOr<int> year = context.args.GetInt("year", false);
  absl::StatusOr<int> after = context.args.GetInt("after", false);
  if (!year.ok()) return context.UsageError(year.status().message());
  if (!after.ok()) return context.UsageError(after.status().message());
  budget::v1::WatchRequest request;
  request.set_node_code(context.args.positional()[0]);
  request.set_fiscal_year(*year);
  request.set_after_revision(*after);
  grpc::ClientContext call;  // No deadline: a watch runs until stopped.
  context.services.options().credentials.Attach(call);
  auto stream = context.services.query().Watch(&call, request);
  budget::v1::RevisionEvent event;
  while (stream->Read(&event)) {
    context.out << MessageJson(event, /*pretty=*/false) << std::flush;
  }
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    return ReportFailure(status, "watch",
                         context.services.options().query_address, context.err);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> RevisionCommands() {
  return {{"history",
           "UNIT YEAR",
           "list every revision of a unit's budget with its reviews",
           {},
           History},
          {"review",
           "UNIT YEAR REVISION --approve|--return [--comment TEXT] "
           "[--reviewer NAME]",
           "approve (审核通过) or return (退回) a revision",
           {{"comment", "reviewer"}, {"approve", "return"}},
           ReviewCommand},
          {"lock",
           "NODE YEAR [--by NAME]",
           "lock an approved year (批复): later submissions below NODE fail",
           {{"by"}, {}},
           Lock},
          {"watch",
           "NODE [--year YYYY] [--after REVISION]",
           "print new consolidated revisions under NODE as JSON lines",
           {{"year", "after"}, {}},
           Watch}};
}

}  // namespace budgetctl
