// Computes one partner report: line conversion, rule findings, control decisions, flat rates,
// and the ERDF / state / own split. Pure functions on values.
#pragma once

#include <vector>

#include "calc/outcome.h"
#include "model/control.h"
#include "model/events.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

// What earlier reports of the same partner already took, for cumulative rounding and ceilings.
struct PriorTotals {
  Money eligible;
  Money erdf;
  Money state;
};

struct ReportInputs {
  const PartnerReport* report = nullptr;
  const Project* project = nullptr;
  const Partner* partner = nullptr;
  const ProgrammeRules* rules = nullptr;
  const RateTable* rates = nullptr;
  const ControlResult* control = nullptr;     // the latest control result, or nullptr
  const ApprovalEvent* approval = nullptr;    // the approval covering the report, or nullptr
  std::vector<const PaymentEvent*> payments;  // instalments paid on the report
  PriorTotals prior;
  std::string source_file;
  std::string sha256;
};

struct ReportComputation {
  ReportOutcome outcome;
  std::vector<LineOutcome> lines;
  std::vector<Diagnostic> findings;
};

// Returns the EUR amount of `line`: the declared amount for EUR, else
// HALF_UP(declared / rate, 2) with the rate of the submitted-on month (domain §5). Returns
// nullopt when that rate is missing (never guessed).
std::optional<Money> line_eur(const ExpenseLine& line, const Date& submitted_on,
                              const RateTable& rates, const ExchangeRate** used = nullptr);

// Returns the computed report.
// REQUIRES: every pointer of `in` but control/approval set; every foreign-currency line has a
// rate for the submitted-on month (callers reject the report with RATE-MISSING otherwise).
ReportComputation compute_report(const ReportInputs& in);

}  // namespace cofin
