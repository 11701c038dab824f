// Jems' risk-based sample (domain §4): the lines a controller samples first.
#pragma once

#include <string>
#include <vector>

#include "model/programme.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

// Returns the flags of `line`, in this order: "procurement" (a procurement reference, or net
// above the procurement threshold), "staff" (staff costs), "vat-large-project" (VAT in a project
// at or above the VAT threshold), "reincluded" (a parked line re-included).
// `net_eur_above_threshold` is the procurement rule's verdict for the line.
std::vector<std::string> sample_flags(const ExpenseLine& line, const Project& project,
                                      const ProgrammeRules& rules, bool net_eur_above_threshold);

// Sets `flags` to what sample_flags returns, keeping the capacity of the strings `flags` holds:
// a computation setting the flags of line after line allocates for its first lines only.
void sample_flags_into(const ExpenseLine& line, const Project& project, const ProgrammeRules& rules,
                       bool net_eur_above_threshold, std::vector<std::string>& flags);

}  // namespace cofin
