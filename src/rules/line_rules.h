// Line-level eligibility rules (domain §4): each finding carries a stable rule id, a severity
// (error = the amount affected is ineligible; warning = the controller should look) and the
// amount affected in EUR. Pure: no I/O.
#pragma once

#include <span>
#include <vector>

#include "model/diagnostic.h"
#include "model/programme.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

// Everything a line rule may look at.
struct LineContext {
  const PartnerReport& report;
  const Project& project;
  const Partner& partner;
  const ProgrammeRules& rules;
  // The partner's flat rates in force: the registry's choice, else the programme's.
  const std::vector<FlatRate>& flat_rates;
};

// Returns the flat rates that apply to `partner`: each of the programme's flat rates, at the
// partner's chosen (lower) percent where the registry names one.
std::vector<FlatRate> flat_rates_in_force(const ProgrammeRules& rules, const Partner& partner);

// Returns the findings on `line`. `eur` is the line's EUR amount (after conversion); each
// finding's `amount` is the affected part in EUR with the line's sign.
std::vector<Diagnostic> check_line(const LineContext& context, const ExpenseLine& line, Money eur);

// Appends to `out` exactly the findings check_line returns, in the same order: a caller
// checking line after line collects them in one vector instead of one per line. When it throws
// (an amount beyond Money's range), `out` may hold some of the line's findings already.
// With `spare`, each finding is built over an element taken from its back (whatever it holds:
// every field is overwritten, and its strings keep their capacity) while it has any: a caller
// that hands its spent findings back saves their allocations. REQUIRES: `spare` is not `out`.
void check_line_into(const LineContext& context, const ExpenseLine& line, Money eur,
                     std::vector<Diagnostic>& out, std::vector<Diagnostic>* spare = nullptr);

// Returns the invoice's net amount (invoice total, else declared, less VAT) in EUR at the
// line's own conversion ratio: what the procurement threshold is compared with.
Money procurement_net_eur(const ExpenseLine& line, Money eur);

// Returns the ineligible EUR part of a line from its findings: the sum of the error findings'
// amounts, never more than the line itself.
Money ineligible_amount(std::span<const Diagnostic> findings, Money eur);

}  // namespace cofin
