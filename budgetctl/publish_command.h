// `budgetctl publish`: writes the publication of a node and year
// (docs/publication.md) into a directory — the HTML document, the XLSX
// workbook and the Fiscal Data Package — from what the query service
// serves the caller, so a public reader's files are masked as its tables
// are.
#ifndef BUDGETCTL_PUBLISH_COMMAND_H_
#define BUDGETCTL_PUBLISH_COMMAND_H_

#include <vector>

#include "budgetctl/command.h"

namespace budgetctl {

std::vector<Command> PublishCommands();

}  // namespace budgetctl

#endif  // BUDGETCTL_PUBLISH_COMMAND_H_
