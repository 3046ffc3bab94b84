// budgetctl: the command-line client of the budget services. Submits budget
// files, manages the unit registry, prints disclosure tables and rollups,
// and moves whole years between stores. `budgetctl help` lists the
// commands; exit codes are in exit_code.h.
#include <iostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "auth/client_credentials.h"
#include "budgetctl/command.h"
#include "budgetctl/exit_code.h"
#include "budgetctl/publish_command.h"

namespace budgetctl {
namespace {

const OptionSpec kGlobalOptions = {{"ingest", "query", "deadline", "token",
                                    "token-file", "tls-ca", "cert", "key"},
                                   {}};

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto family :
       {UnitsCommands, SubmitCommands, TableCommands, AggregateCommands,
        RevisionCommands, TransferCommands, PublishCommands, CycleCommands}) {
    for (Command& command : family()) all.push_back(std::move(command));
  }
  return all;
}

void PrintHelp(const std::vector<Command>& commands, std::ostream& out) {
  out << "usage: budgetctl [GLOBAL OPTIONS] COMMAND [ARGS] [GLOBAL OPTIONS]\n"
         "global options, before or after the command: [--ingest HOST:PORT] "
         "[--query HOST:PORT] [--deadline 30s]\n"
         "  [--token TOKEN | --token-file FILE] [--tls-ca CA.pem] "
         "[--cert CERT.pem --key KEY.pem]\n"
         "  (TLS when --tls-ca or --cert is given, plaintext otherwise)\n\n"
         "commands:\n";
  for (const Command& command : commands) {
    out << "  " << command.name << " " << command.usage << "\n      "
        << command.summary << "\n";
  }
  out << "\nexit codes: 0 ok, 1 input rejected, 2 usage error, 3 service "
         "unreachable or deadline exceeded\n";
}

int Run(const std::vector<std::string>& given) {
  const std::vector<std::string> argv = CommandFirst(given, kGlobalOptions);
  std::vector<Command> commands = AllCommands();
  if (argv.empty() || argv[0] == "help" || argv[0] == "--help") {
    PrintHelp(commands, argv.empty() ? std::cerr : std::cout);
    return argv.empty() ? kExitUsage : kExitOk;
  }
  const Command* command = nullptr;
  for (const Command& candidate : commands) {
    if (candidate.name == argv[0]) command = &candidate;
  }
  if (command == nullptr) {
    std::cerr << "budgetctl: unknown command \"" << argv[0]
              << "\"\n  next: run budgetctl help for the list of commands\n";
    return kExitUsage;
  }
  OptionSpec spec = command->options;
  spec.with_value.insert(kGlobalOptions.with_value.begin(),
                         kGlobalOptions.with_value.end());
  absl::StatusOr<Args> args = Args::Parse({argv.begin() + 1, argv.end()}, spec);
  ServiceOptions options;
  if (args.ok()) {
    options.ingest_address = args->Get("ingest", options.ingest_address);
    options.query_address = args->Get("query", options.query_address);
    if (args->Has("deadline") &&
        !absl::ParseDuration(args->Get("deadline", ""), &options.deadline)) {
      args = absl::InvalidArgumentError(
          "--deadline must be a duration such as 30s or 2m");
    }
  }
  if (args.ok()) {
    auth::ClientCredentialOptions flags;
    flags.token = args->Get("token", "");
    flags.token_file = args->Get("token-file", "");
    flags.tls_ca = args->Get("tls-ca", "");
    flags.cert = args->Get("cert", "");
    flags.key = args->Get("key", "");
    flags.insecure = flags.tls_ca.empty() && flags.cert.empty();
    absl::StatusOr<auth::ClientCredentials> credentials =
        auth::MakeClientCredentials(flags);
    if (credentials.ok()) {
      options.credentials = *std::move(credentials);
    } else {
      args = credentials.status();
    }
  }
  Services services(options);
  Args no_args;
  CommandContext context{*command, args.ok() ? *args : no_args, services,
                         std::cout, std::cerr};
  if (!args.ok()) return context.UsageError(args.status().message());
  return command->run(context);
}

}  // namespace
}  // namespace budgetctl

int main(int argc, char** argv) {
  return budgetctl::Run(std::vector<std::string>(argv + 1, argv + argc));
}
