// Everything the ledger has accepted, as values, and the computation of every report from it.
// Pure: the job layer fills a Portfolio from the ledger; compute_portfolio() does no I/O.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "calc/outcome.h"
#include "calc/spill.h"
#include "model/control.h"
#include "model/events.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"
#include "rules/invoice_key.h"

namespace cofin {

using ReportKey = std::tuple<std::string, int, int>;  // project, partner, report

// Where an accepted report's lines wait while the run holds only the report's header: at 1M
// lines the parsed lines alone take half a gigabyte, so a run keeps them out of memory and reads
// a report's lines back when it is checked or computed (calc/line_spill.h keeps them in the run's
// spill file).
class SpilledLines : public SpilledVector<ExpenseLine> {
 public:
  // Sets `lines` to read(), reusing what `lines` holds: its lines' strings keep their capacity,
  // so that a computation reading report after report into the same vector allocates for the
  // first reports only. This default assigns read(); the run's spill file decodes in place.
  // Throws as read() does; `lines` is then unspecified.
  virtual void read_into(std::vector<ExpenseLine>& lines) const;
  // Returns invoice_marks(read()): what the portfolio-wide duplicate check reads of every line
  // before it reads back the few reports that can hold a duplicate. This default decodes the
  // lines; the run's spill file keeps the marks beside them and reads 8 bytes a line instead.
  // Throws as read() does.
  virtual std::vector<InvoiceMark> invoice_marks() const;
  // Returns, in line order, the lines whose invoice mark `keep` accepts (`keep` is asked only for
  // marks with a key), with at least the fields the duplicate check reads: line, supplier_id,
  // invoice_no, currency, declared and invoice_total. This default filters read(); the run's
  // spill file keeps those fields beside the lines and returns only them, without decoding the
  // lines. Throws as read() does.
  virtual std::vector<ExpenseLine> invoice_lines(
      const std::function<bool(InvoiceMark)>& keep) const;
};

struct AcceptedReport {
  // Shared, never copied: the ledger thread may still be recording it while it is computed.
  // Its lines are empty when `spilled` is set.
  std::shared_ptr<const PartnerReport> report;
  std::string file;
  std::string sha256;
  std::shared_ptr<const SpilledLines> spilled;  // where the lines are when not held

  // Returns the number of the report's lines, held or spilled.
  std::size_t line_count() const { return spilled ? spilled->count() : report->lines.size(); }
  // Returns the report with its lines: `report` itself when they are held, else a copy with
  // the lines read back.
  std::shared_ptr<const PartnerReport> with_lines() const;
};

// Where an accepted control result's line decisions wait while the run holds only the result's
// header: a control decides most lines of the report it controls, so at millions of lines the
// decisions take tens of megabytes; a run reads a control's decisions back when its report is
// computed (calc/control_spill.h keeps them in the run's spill file).
using SpilledDecisions = SpilledVector<LineDecision>;

struct AcceptedControl {
  // Shared, never copied: a computation reads the held result in place. Its decisions are empty
  // when `spilled` is set.
  std::shared_ptr<const ControlResult> control;
  std::string file;
  std::shared_ptr<const SpilledDecisions> spilled;  // where the decisions are when not held

  // Returns the number of the result's decisions, held or spilled.
  std::size_t decision_count() const {
    return spilled ? spilled->count() : control->decisions.size();
  }
  // Returns the result with its decisions: `control` itself when they are held, else a copy of
  // its header with the decisions read back. Throws when they cannot be read back.
  std::shared_ptr<const ControlResult> with_decisions() const;
};

struct Portfolio {
  const Registry* registry = nullptr;
  const std::vector<ProgrammeRules>* programmes = nullptr;
  Date as_of;       // the run's "today": deadlines are measured against it
  RateTable rates;  // every rate accepted (job rate tables and inbox rate tables)
  // The rates a report was first computed with, by report: frozen at first submission
  // (domain §5), preferred over `rates`, which give a rate a report's frozen ones lack.
  std::map<ReportKey, RateTable> frozen_rates;
  std::map<ReportKey, AcceptedReport> reports;
  std::map<ReportKey, std::vector<AcceptedControl>> controls;  // in acceptance order
  std::vector<ApprovalEvent> approvals;
  std::vector<PaymentEvent> payments;

  // Returns the control result in force for `key`: the latest not replaced by another, or
  // nullptr. Its decisions may be spilled: read them with with_decisions().
  const AcceptedControl* control_in_force(const ReportKey& key) const;
};

// Returns every report computed, in (project, partner, report) order, with its lines and
// findings, as the workbook shows them. Reports whose project, partner or rule set is unknown
// are skipped (they were rejected at acceptance). Partners are computed on `threads` worker
// threads (0 = one per core); the result is the same for any number of threads.
RunOutcome compute_portfolio(const Portfolio& portfolio, unsigned threads = 0);

// The same, for a portfolio the caller no longer needs: each report is let go as soon as it is
// computed (freed unless someone else shares it), so a line is held once (as its LineOutcome),
// not twice.
RunOutcome compute_portfolio(Portfolio&& portfolio, unsigned threads = 0);

// The same figures, findings and line order, with the lines not held: the result's
// `line_source` computes a partner's lines again when they are read (on a second thread, one
// partner ahead of the reader), and checks their sums against this first computation. The
// portfolio is kept for that, so a line is held once as input, never as a LineOutcome: at 1M
// lines that is the difference between the inputs alone and the inputs plus a gigabyte.
// With `findings_spill`, the computed findings are not held either: each report's go to the
// spill as it is computed, and the result's `finding_source` reads them back.
// REQUIRES: the portfolio's registry and programmes outlive the result.
RunOutcome compute_portfolio_streamed(Portfolio&& portfolio, unsigned threads = 0,
                                      std::shared_ptr<Spill> findings_spill = nullptr);

}  // namespace cofin
