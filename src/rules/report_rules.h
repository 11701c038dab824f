// Report-level rules (domain §4): deadlines, the per-staff-hour unit cost against the report's
// staff hours, and the partner's ERDF rate against the programme's maximum. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.h"
#include "model/programme.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

struct ReportContext {
  const PartnerReport& report;
  const Project& project;
  const Partner& partner;
  const ProgrammeRules& rules;
  std::optional<Date> certified_on;  // the control result in force, if any
  Date as_of;                        // the run's today
  std::string file;
};

// Returns the days the report has been with the controller: from its submission to the
// certification, or to `as_of` while uncontrolled (never negative).
int days_with_controller(const ReportContext& context);

// Returns DEADLINE-SUBMISSION, DEADLINE-CONTROLLER, UNIT-COST-STAFF-HOURS and
// ERDF-RATE-ABOVE-MAX findings (warnings; they cut no amount).
std::vector<Diagnostic> check_report(const ReportContext& context);

// Returns the ERDF rate in force: the partner's, never above the programme's maximum.
Rate erdf_rate_in_force(const Partner& partner, const ProgrammeRules& rules);

}  // namespace cofin
