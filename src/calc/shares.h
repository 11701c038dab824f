// The ERDF / state / own split of one report's eligible amount (domain §6, §7). Pure.
//
// Rounding: ERDF and state shares are FLOOR (towards minus infinity) to the cent, also for
// negative totals (domain §6 asks to choose FLOOR or DOWN for negatives). Decision: FLOOR, as
// Jems does, because it keeps "a public share never exceeds its rate" true on the running sum
// of a partner's reports, corrections included. With DOWN a correction gives back too little:
// 100.00 at 80 % → 80.00, then a −0.01 correction → DOWN(−0.008) = 0.00, net ERDF 80.00 above
// 80 % × 99.99 = 79.992. With FLOOR it is −0.01 and the net 79.99 stays within the rate. The
// price is the documented asymmetry (+1,234.57 then −1,234.57 → +987.65 then −987.66, a cent
// lost on a net-zero claim), which the rule set's `cumulative` option removes.
// Flat rates and unit costs stay DOWN (towards zero), as Jems computes them: they are cost
// amounts, not public shares, and DOWN makes a correction mirror the original exactly.
#pragma once

#include <optional>
#include <string>

#include "model/enums.h"
#include "model/programme.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

// What earlier reports of the same partner took (after ceilings).
struct PriorShares {
  Money eligible;
  Money erdf;
  Money state;
};

struct ShareInputs {
  Money eligible;  // this report's eligible (certified, capped) amount
  Rate erdf_rate;  // percent, in force (never above the programme's maximum)
  ShareRounding rounding = ShareRounding::kPerReport;
  PriorShares prior;
  Money budgeted_erdf;                               // cumulative ERDF ceiling
  const StateCofinancingRule* state_rule = nullptr;  // nullptr: no state co-financing
  std::optional<Money> state_granted;                // cumulative state ceiling; absent: none
};

struct Shares {
  Money erdf;        // in force: per the rounding mode, capped by budgeted ERDF
  Money state;       // in force: per the rounding mode, capped by the granted amount
  Money own;         // eligible − erdf − state: the remainder, never rounded on its own
  Money state_base;  // what the state percent applied to (in force)
  // Both modes, before ceilings, for the Co-financing sheet.
  Money erdf_per_report;   // FLOOR(eligible × rate)
  Money erdf_cumulative;   // FLOOR(cum. eligible × rate) − FLOOR(prior eligible × rate)
  Money state_per_report;  // FLOOR(base × percent), base from this report alone
  Money state_cumulative;  // FLOOR(cum. base × percent) − FLOOR(prior base × percent)
  Money erdf_capped;       // cut by the ERDF ceiling (≥ 0)
  Money state_capped;      // cut by the state ceiling (≥ 0)
};

// Returns the split. ERDF + state + own = eligible exactly, for every input.
Shares compute_shares(const ShareInputs& in);

// Returns "LV municipality: 10.00 % of national contribution" or "none for SE other".
std::string state_rule_text(const StateCofinancingRule* rule, std::string_view country,
                            LegalStatus status);

}  // namespace cofin
