// The outcome of a run: every figure the workbook shows, computed by src/calc and written by
// src/workbook. Plain values; the workbook adds no arithmetic of its own beyond the formulas
// that re-compute these figures.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calc/finding_source.h"
#include "calc/line_source.h"
#include "calc/pieces.h"
#include "model/date.h"
#include "model/diagnostic.h"
#include "model/enums.h"
#include "model/events.h"
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

  // Where `deducted` and `ineligible` come from (each EUR, with the line's sign).
  Money controller_deducted;  // the control result in force
  Money ma_js_deducted;       // MA/JS deductions at approval
  Money budget_capped;        // BUDGET-FLEX: the category's excess over its flexibility limit
  std::string typology;       // the controller's (else MA/JS's) error typology id, if deducted
  // A parked line re-included here: its origin "R{report}.{line}" and the frozen rate of that
  // origin report (the line is converted with it, not with this report's month).
  std::string reincluded_from;
  // Jems' risk-based sample flags: "procurement", "staff", "vat-large-project", "reincluded".
  std::vector<std::string> sample_flags;
};

// A flat rate computed on one report's category totals (not an expenditure line).
struct FlatRateOutcome {
  FlatRateType type;
  Rate percent;
  Money declared_base;
  Money declared_amount;  // DOWN(declared_base × percent)
  Money eligible_base;
  Money eligible_amount;  // DOWN(eligible_base × percent): recomputed after control
  Category category = Category::kOffice;  // the budget category the flat rate is booked to
  Money budget_capped;  // BUDGET-FLEX: cut from eligible_amount (counts eligible_amount − this)
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

  // Co-financing sheet: the bases and the cumulative position after this report.
  Money ineligible;           // found ineligible by cofin's rules (before control), EUR
  Money controller_deducted;  // by the control result in force
  Money ma_js_deducted;       // by the MA/JS at approval
  Money budget_capped;        // BUDGET-FLEX excess deducted in this report
  Money flat_rate_knock_on;   // declared − eligible flat-rate amounts (follows the line cuts)
  Money state_base_amount;    // the amount the state percent applies to
  Money cumulative_eligible;  // this and every earlier report of the partner
  Money cumulative_erdf;
  Money budgeted_erdf;  // the ceiling for cumulative_erdf
  Money cumulative_state;
  std::optional<Money> state_granted;  // VARAM's cumulative ceiling; absent = none
  Money erdf_capped;   // ERDF-CEILING: cut so cumulative ERDF stays within budgeted ERDF
  Money state_capped;  // STATE-CEILING: cut so cumulative state stays within the granted amount
  // Both rounding modes, whichever is in force: per-report FLOOR(eligible × rate) and the
  // cumulative delta FLOOR(cum. eligible × rate) − earlier cumulative share (domain §6).
  Money erdf_per_report;
  Money erdf_cumulative;
  Money erdf_rounding_difference;  // erdf_cumulative − erdf_per_report
  Money state_per_report;
  Money state_cumulative;
  Money state_rounding_difference;  // state_cumulative − state_per_report

  // Payments sheet.
  std::optional<Date> approved_on;
  int project_report = 0;  // the approving project report; 0 = not approved
  std::optional<Date> certified_on;
  Money erdf_difference;         // erdf_due − erdf_paid
  Money state_difference;        // state_due − state_paid
  std::string erdf_status;       // "not due", "due", "partly paid", "paid", "overpaid"
  std::string state_status;      // likewise; "none" when no state share applies
  int days_with_controller = 0;  // submitted-on (or deadline) to certified-on or as-of

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

// One row of the Budget sheet: a partner's cost category after one of its reports (Jems' column
// set plus the flexibility limit). Flat-rate amounts are booked to their category.
struct BudgetRow {
  std::string project;
  int partner = 0;
  int report = 0;
  Category category = Category::kStaff;
  Money budget;
  Money previous;                    // certified in the partner's earlier reports
  Money this_report;                 // certified in this report (after capping)
  Money total;                       // previous + this_report
  Money remaining;                   // budget − total
  std::optional<Rate> percent_used;  // HALF_UP(total / budget × 100, 2); absent when budget 0
  Money flex_limit;                  // budget + percent × base (the rule set's flexibility)
  Money over_limit;                  // the excess capped in this report (BUDGET-FLEX)
};

// One cell contribution of the Deductions sheet (typology × category). Rows: the controller's
// and MA/JS's typologies, cofin's rule ids for rule-based cuts, and the flat-rate row (the
// knock-on of line cuts on flat rates, `flat_rate` true, `typology` empty).
struct DeductionEntry {
  std::string project;
  int partner = 0;
  int report = 0;
  std::string typology;       // typology id or rule id; empty on the flat-rate row
  std::string typology_text;  // the rule set's text, or the rule's meaning
  std::string by;             // "controller", "ma-js", "cofin"
  bool flat_rate = false;
  Category category = Category::kStaff;
  Money amount;  // EUR, positive = lowers the eligible amount
};

// One instalment as paid, for the Payments sheet.
struct PaymentOutcome {
  std::string project;
  int partner = 0;
  int report = 0;
  Fund fund = Fund::kErdf;
  std::string event_id;
  std::string payment_ref;
  Date date;
  Money amount;
};

struct RunOutcome {
  std::string job_name;
  std::string run_id;
  std::string version;
  Date as_of;
  std::vector<ReportOutcome> reports;  // ordered by project, partner, report
  std::vector<LineOutcome> lines;      // grouped by report, in report order, then line number
  // When set, the lines are produced by it and `lines` is empty (compute_portfolio_streamed).
  std::shared_ptr<const LineSource> line_source;
  std::vector<Diagnostic> findings;  // eligibility findings and rejections, in report order
  // When set, it yields the run's first findings (the computed ones) and `findings` holds only
  // those that follow (the rejections): findings_of() reads both, in that order.
  std::shared_ptr<const FindingSource> finding_source;
  std::vector<InputOutcome> inputs;
  std::vector<RuleSetOutcome> rule_sets;
  std::vector<ExchangeRate> rates_used;
  // Held as computed, one piece per report (calc/pieces.h).
  Pieces<BudgetRow> budget;           // by project, partner, report, category
  Pieces<DeductionEntry> deductions;  // by project, partner, report
  Pieces<PaymentOutcome> payments;    // by project, partner, report, fund, date
  std::string audit_head;             // hex, empty until the audit trail exists
};

// Returns the run's lines, held or streamed. The result refers to `outcome`'s `lines` when they
// are held: `outcome` must outlive it.
std::shared_ptr<const LineSource> lines_of(const RunOutcome& outcome);

// Returns the number of the run's lines, held or streamed.
std::size_t line_count(const RunOutcome& outcome);

// Returns the run's findings: those of `finding_source` (when set), then `findings`. The result
// may refer to `outcome`'s `findings`: `outcome` must outlive it.
std::shared_ptr<const FindingSource> findings_of(const RunOutcome& outcome);

// Returns the number of the run's findings, from the source and held.
std::size_t finding_count(const RunOutcome& outcome);

}  // namespace cofin
