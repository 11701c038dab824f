// Parked lines re-included later (domain §2, spec "Control result"): a line whose
// `reincluded-from` is "R{report}.{line}" brings back a line the controller parked in an
// earlier report of the same partner, at the origin's frozen exchange rate.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/diagnostic.h"
#include "model/report.h"
#include "money/decimal.h"

namespace cofin {

// A line of an earlier report of the same partner, as a re-inclusion sees it.
struct ParkedOrigin {
  bool parked = false;
  Money declared;  // in `currency`
  std::string currency;
  std::optional<Rate> rate;  // the origin report's rate (frozen at its submission)
  std::string rate_month;
};

// Origins of one partner by "R{report}.{line}".
using ParkedOrigins = std::map<std::string, ParkedOrigin>;

// Returns "R{report}.{line}".
std::string origin_label(int report, int line);

// Returns `text` in the canonical "R{report}.{line}" form ("r2.05 " -> "R2.5"), or "" when it
// is not of that form.
std::string canonical_origin(std::string_view text);

struct ReinclusionCheck {
  const ParkedOrigin* origin = nullptr;  // the parked origin, when the re-inclusion is valid
  std::vector<Diagnostic> findings;
};

// Returns the origin and the REINCLUDED-ORIGIN (unknown, not earlier, not parked, other
// currency), REINCLUDED-TWICE (the origin already came back on `already_reincluded`) and
// REINCLUDED-AMOUNT (more than was parked; the excess is affected) findings of `line`.
// `eur` is the line's EUR amount. REQUIRES: line.reincluded_from is not empty.
ReinclusionCheck check_reinclusion(const ExpenseLine& line, const ParkedOrigins& origins,
                                   const std::set<std::string>& already_reincluded, Money eur);

}  // namespace cofin
