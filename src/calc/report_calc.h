// Computes one partner report: line conversion, rule findings, control decisions, budget
// flexibility, flat rates, and the ERDF / state / own split. Pure functions on values.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "calc/budget.h"
#include "calc/outcome.h"
#include "model/control.h"
#include "model/events.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"
#include "rules/duplicates.h"
#include "rules/reinclusion.h"

namespace cofin {

// What earlier reports of the same partner already took, for cumulative rounding, ceilings and
// the budget.
struct PriorTotals {
  Money eligible;
  Money erdf;
  Money state;
  CategoryAmounts by_category;  // certified (after capping), flat rates in their category
};

struct ReportInputs {
  const PartnerReport* report = nullptr;
  const Project* project = nullptr;
  const Partner* partner = nullptr;
  const ProgrammeRules* rules = nullptr;
  const RateTable* rates = nullptr;
  // Where a rate missing from `rates` is looked up (a report's frozen rates come first, then
  // every accepted rate), or nullptr.
  const RateTable* fallback_rates = nullptr;
  const ControlResult* control = nullptr;     // the latest control result, or nullptr
  const ApprovalEvent* approval = nullptr;    // the approval covering the report, or nullptr
  std::vector<const PaymentEvent*> payments;  // instalments paid on the report
  PriorTotals prior;
  std::string source_file;
  std::string sha256;
  Date as_of;  // the run's today (controller deadline)
  // Portfolio-wide facts about this report's lines, by line number.
  std::map<int, DuplicateHit> duplicates;
  // Every line of the partner's earlier reports, for re-included lines; nullptr = none.
  const ParkedOrigins* origins = nullptr;
  std::set<std::string> already_reincluded;  // origins re-included by earlier reports
  // When false, a line's outcome carries no copy of the input line's texts (description,
  // supplier, invoice number, references, unit cost, source position's file) nor its report's
  // project and source file: its amounts, results, number, category, currency and dates only.
  // A computation that keeps only the lines' sums need not build what a Lines sheet shows.
  bool line_texts = true;
  // Spent findings the line checks may build over (check_line_into's `spare`), or nullptr.
  std::vector<Diagnostic>* spare_findings = nullptr;
};

struct ReportComputation {
  ReportOutcome outcome;
  std::vector<LineOutcome> lines;  // in line-number order
  std::vector<Diagnostic> findings;
  std::vector<BudgetRow> budget;
  std::vector<DeductionEntry> deductions;
  std::vector<PaymentOutcome> payments;
  CategoryAmounts certified_by_category;        // this report, after capping
  std::vector<std::string> reincluded_origins;  // origins validly re-included here
};

// Returns the EUR amount of `line`: the declared amount for EUR, else
// HALF_UP(declared / rate, 2) with the rate of the submitted-on month (domain §5). Returns
// nullopt when that rate is missing (never guessed).
std::optional<Money> line_eur(const ExpenseLine& line, const Date& submitted_on,
                              const RateTable& rates, const ExchangeRate** used = nullptr);

// Returns the computed report. The result does not depend on the order of the report's lines.
// REQUIRES: every pointer of `in` but control/approval/origins set; every foreign-currency line
// has a rate for the submitted-on month (callers reject the report with RATE-MISSING otherwise).
ReportComputation compute_report(const ReportInputs& in);

// The same, building the result's lines over `storage`'s: their strings keep their capacity,
// so that a caller computing report after report, and handing each result's lines back,
// allocates for its first reports only. What `storage` holds does not change the result.
ReportComputation compute_report(const ReportInputs& in, std::vector<LineOutcome> storage);

}  // namespace cofin
