// Payments reconciled against what is due, per report and fund (spec "Statuses"; domain §2:
// no advances, so nothing is due before approval). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/diagnostic.h"
#include "model/events.h"
#include "money/money.h"

namespace cofin {

// Returns the status of one fund of one report: "not due" (not approved), "nothing due"
// (approved, nothing due and nothing paid), "due" (nothing paid yet), "partly paid", "paid",
// or "overpaid".
std::string fund_status(bool approved, Money due, Money paid);

// Returns the report's status: "submitted", "certified", "approved", "partly paid" (some
// instalment received, something still due) or "paid" (every fund paid in full, something paid).
std::string report_status(bool certified, bool approved, Money erdf_due, Money erdf_paid,
                          Money state_due, Money state_paid);

// Returns PAYMENT-BEFORE-APPROVAL for each instalment paid before the approval (or with none)
// and PAYMENT-OVER-DUE for each fund paid above its due amount (warnings; `file` names the
// report they concern).
std::vector<Diagnostic> check_payments(const std::vector<const PaymentEvent*>& payments,
                                       std::optional<Date> approved_on, Money erdf_due,
                                       Money state_due, const std::string& file);

}  // namespace cofin
