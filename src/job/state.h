// What the ledger has accepted, held in memory for one run: reports, control results, events
// and exchange rates, with the checks a new document must pass against them.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "calc/outcome.h"
#include "calc/portfolio.h"
#include "calc/spill.h"
#include "ingest/document.h"
#include "job/job_context.h"

namespace cofin {

class AcceptedState {
 public:
  // With `spill`, accepted control results' decisions wait there, not in memory (a run's
  // spill file); without, everything is held.
  AcceptedState(const JobContext& ctx, const Date& as_of, std::shared_ptr<Spill> spill = nullptr)
      : ctx_(ctx), spill_(std::move(spill)) {
    portfolio_.as_of = as_of;
    portfolio_.registry = &ctx.registry;
    portfolio_.programmes = &ctx.programmes;
    portfolio_.rates = ctx.rates;
  }

  // Adds to `diags` every reason `doc` cannot be accepted on top of this state: unknown
  // references (REF-*), missing rates, conflicting rates, event ids seen before or twice in
  // the document.
  void validate(const LoadedDocument& doc, Diagnostics& diags) const;

  // Takes an accepted document in; a control result's decisions go to the spill when there is
  // one. REQUIRES: validate() found no error.
  void absorb(LoadedDocument&& doc, const std::string& file, const std::string& sha256);

  // Takes an accepted control result in whose decisions already wait in the spill at
  // `spilled` (moved there by its parse worker): holds only its header, and writes nothing
  // again. Without `spilled`, as absorb(). REQUIRES: validate() found no error in it.
  void absorb_control(ControlResult&& control, const std::string& file,
                      std::shared_ptr<const SpilledDecisions> spilled);

  // Takes an accepted report in, holding only its header when `spilled` (where its lines
  // are) is set. REQUIRES: validate() found no error in it.
  void absorb_report(std::shared_ptr<const PartnerReport> report, const std::string& file,
                     const std::string& sha256, std::shared_ptr<const SpilledLines> spilled);

  // Sets the exchange rates each report was first computed with (domain §5: frozen at first
  // submission); compute_portfolio() prefers them to today's rate tables.
  void set_frozen_rates(std::map<ReportKey, RateTable> rates) {
    portfolio_.frozen_rates = std::move(rates);
  }

  // Returns what has been accepted so far, for compute_portfolio().
  const Portfolio& portfolio() const { return portfolio_; }

  // Returns the portfolio, leaving this state empty: compute_portfolio() may then release each
  // report's lines as soon as it is computed. REQUIRES: no further validate() or absorb().
  Portfolio take_portfolio() { return std::move(portfolio_); }

 private:
  const JobContext& ctx_;
  std::shared_ptr<Spill> spill_;  // where control decisions wait, or none: held
  Portfolio portfolio_;
  std::set<std::string> event_ids_;
};

}  // namespace cofin
