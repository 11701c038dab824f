// One project's share of a run's outcome, for the per-project workbooks (job option
// `<workbooks per-project="true"/>`): what a project's partners and controllers may be handed
// without the rest of the programme.
#pragma once

#include <string>
#include <vector>

#include "calc/outcome.h"

namespace cofin {

// Returns the ids of the projects in `outcome`, in report order (ascending, no duplicates).
std::vector<std::string> outcome_projects(const RunOutcome& outcome);

// Returns `outcome` restricted to `project`: its reports (with `first_line` re-indexed), their
// lines, the findings about their files, its budget, deduction and payment rows, and the inputs
// that are not partner reports of other projects (rule sets, registry, rates, control results
// and events are kept: a run-level record the figures depend on). Run id, version, as-of date,
// rule sets, rates and audit-trail head are the run's.
RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project);

}  // namespace cofin
