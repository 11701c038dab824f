// The outcome of a run: every figure the workbook shows, computed by src/calc and written by
// src/workbook. Plain values; the workbook adds no arithmetic of its own beyond the formulas
// that re-compute these figures.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/diagnostic.h"
#include "model/enums.h"
#include "model/rates.h"
#include "model/report.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

// One expenditure line as checked and controlled.
struct LineOutcome {
  std::string project;
  int partner = 0;
  int report = 0;
  ExpenseLine line;          // all input fields, in the line's own currency
  std::string source_file;   // file name the line was read from
  std::optional<Rate> rate;  // units per EUR; absent for EUR lines
  std::string rate_month;    // "2024-03" (the submitted-on month); empty for EUR lines
  Money eur;                 // HALF_UP(declared / rate, 2), or declared for EUR
  Money ineligible;          // found ineligible by cofin's rules (error findings), EUR
  Money deducted;            // deducted by the controller and MA/JS, EUR
  bool parked = false;
  Money parked_eur;          // eur when parked, else 0
  Money certified;           // eligible after control: eur − ineligible − deducted, or 0
  std::string check_result;  // "ok", "warning" or "ineligible"
  std::vector<std::string> rule_ids;  // ids of the findings on this line
};

// A flat rate computed on one report's category totals (not an expenditure line).
struct FlatRateOutcome {
  FlatRateType type;
  Rate percent;
  Money declared_base;
  Money declared_amount;  // DOWN(declared_base × percent)
  Money eligible_base;
  Money eligible_amount;  // DOWN(eligible_base × percent): recomputed after control
};

// One partner report with its totals and fund shares.
struct ReportOutcome {
  std::string project;
  std::string acronym;
  std::string programme;
  int partner = 0;
  std::string partner_name;
  std::string partner_country;
  int report = 0;
  Date period_start;
  Date period_end;
  Date submitted_on;
  std::string status;  // "submitted", "certified", "approved", "partly paid", "paid"
  std::string source_file;
  std::string sha256;

  Money declared;  // Σ line EUR + flat rates on declared bases
  Money deducted;  // declared − eligible − parked (rules, controller, MA/JS, flat-rate knock-on)
  Money parked;    // Σ parked line EUR
  Money eligible;  // Σ certified lines + flat rates on eligible bases
  std::vector<FlatRateOutcome> flat_rates;

  Rate erdf_rate;          // percent, e.g. 80.00
  Money erdf;              // FLOOR(eligible × ERDF rate) (per-report), or cumulative delta
  std::string state_rule;  // e.g. "LV municipality: 10.00 % of national contribution"
  std::optional<Rate> state_percent;
  std::optional<StateBase> state_base;
  Money state;  // FLOOR(base × percent), capped by the granted ceiling
  Money own;    // eligible − erdf − state (the remainder, never rounded)
  bool per_report_rounding = true;

  bool due = false;            // shares are due only from approval (no advances)
  std::string not_due_reason;  // why not yet payable
  Money erdf_due;
  Money state_due;
  Money erdf_paid;
  Money state_paid;

  int findings = 0;            // findings on this report (all severities)
  std::size_t first_line = 0;  // index into RunOutcome::lines
  std::size_t line_count = 0;
};

// One input file as the run saw it.
struct InputOutcome {
  std::string file;  // path as given (relative to the job directory where possible)
  std::string
      kind;  // "report", "control-result", "events", "rates", "registry", "programme", "job"
  std::string sha256;  // hex
  std::uint64_t size = 0;
  std::string status;  // "accepted", "rejected", "duplicate", "input"
  std::string reason;  // rejection reason (first error), empty otherwise
};

struct RuleSetOutcome {
  std::string id;
  std::string file;
  std::string sha256;
};

struct RunOutcome {
  std::string job_name;
  std::string run_id;
  std::string version;
  Date as_of;
  std::vector<ReportOutcome> reports;  // ordered by project, partner, report
  std::vector<LineOutcome> lines;      // grouped by report, in report order, then line number
  std::vector<Diagnostic> findings;    // eligibility findings and rejections, in report order
  std::vector<InputOutcome> inputs;
  std::vector<RuleSetOutcome> rule_sets;
  std::vector<ExchangeRate> rates_used;
  std::string audit_head;  // hex, empty until the audit trail exists
};

}  // namespace cofin
