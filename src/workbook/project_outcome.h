// One project's share of a run's outcome, for the per-project workbooks (job option
// `<workbooks per-project="true"/>`): what a project's partners and controllers may be handed
// without the rest of the programme.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "calc/outcome.h"

namespace cofin {

// Returns the ids of the projects in `outcome`, in report order (ascending, no duplicates).
std::vector<std::string> outcome_projects(const RunOutcome& outcome);

// Returns, for every project of `outcome` (outcome_projects), the findings of
// findings_of(outcome) about the files of its reports and lines (named with or without their
// directory), as ascending ranges of indices, adjacent ones merged. Reads the run's findings
// once for all projects: per-project workbooks ask before they start, not once per project.
std::map<std::string, std::vector<FindingRange>> project_findings(const RunOutcome& outcome);

// Returns `outcome` restricted to `project`: its reports (with `first_line` re-indexed), their
// lines, the findings about their files, its budget, deduction and payment rows, and the inputs
// that are not partner reports of other projects (rule sets, registry, rates, control results
// and events are kept: a run-level record the figures depend on). Run id, version, as-of date,
// rule sets, rates and audit-trail head are the run's.
// Streamed lines and findings from a source are read through views of the run's sources (never
// copied; the views share ownership of them); held lines and findings are copied.
RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project);

// As above, with the project's findings already found: `findings` is project_findings(outcome)'s
// entry for `project`.
// REQUIRES: the ranges are ascending and within finding_count(outcome).
RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project,
                           const std::vector<FindingRange>& findings);

}  // namespace cofin
