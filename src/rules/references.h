// Reference checks: a document that refers to something unknown (project, partner, period,
// unit cost, typology, exchange rate) is rejected whole (spec "Rejected vs. finding").
#pragma once

#include <vector>

#include "model/control.h"
#include "model/diagnostic.h"
#include "model/events.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

// Returns the rule set with `id`, or nullptr.
const ProgrammeRules* find_programme(const std::vector<ProgrammeRules>& programmes,
                                     std::string_view id);

// Adds REF-PROJECT, REF-PROGRAMME, REF-PARTNER, REF-PERIOD, REF-UNIT-COST, REF-CURRENCY and
// RATE-MISSING errors for `report` to `diags`.
void check_report_references(const PartnerReport& report, const Registry& registry,
                             const std::vector<ProgrammeRules>& programmes, const RateTable& rates,
                             Diagnostics& diags);

// Adds REF-PROJECT, REF-PARTNER, REF-TYPOLOGY and (when `report` is given) REF-LINE errors for
// `control` to `diags`. `report` is the accepted report it controls, or nullptr when unknown
// to the caller (then REF-REPORT is the caller's to add).
void check_control_references(const ControlResult& control, const PartnerReport* report,
                              const Registry& registry,
                              const std::vector<ProgrammeRules>& programmes, Diagnostics& diags);

}  // namespace cofin
