// What the ledger has accepted, held in memory for one run: reports, control results, events
// and exchange rates, with the checks a new document must pass against them.
#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "calc/outcome.h"
#include "ingest/document.h"
#include "job/job_context.h"

namespace cofin {

using ReportKey = std::tuple<std::string, int, int>;  // project, partner, report

struct StoredReport {
  PartnerReport report;
  std::string file;
  std::string sha256;
};

struct StoredControl {
  ControlResult control;
  std::string file;
};

class AcceptedState {
 public:
  explicit AcceptedState(const JobContext& ctx) : ctx_(ctx), rates_(ctx.rates) {}

  // Adds to `diags` every reason `doc` cannot be accepted on top of this state: unknown
  // references (REF-*), missing rates, conflicting rates, event ids seen before.
  void validate(const LoadedDocument& doc, Diagnostics& diags) const;

  // Takes an accepted document in. REQUIRES: validate() found no error.
  void absorb(LoadedDocument&& doc, const std::string& file, const std::string& sha256);

  // Returns every report computed, in (project, partner, report) order, with their lines and
  // findings, as the workbook shows them.
  RunOutcome compute() const;

 private:
  // Returns the control result in force for `key`: the latest not replaced by another.
  const StoredControl* control_in_force(const ReportKey& key) const;

  const JobContext& ctx_;
  RateTable rates_;
  std::map<ReportKey, StoredReport> reports_;
  std::map<ReportKey, std::vector<StoredControl>> controls_;
  std::vector<ApprovalEvent> approvals_;
  std::vector<PaymentEvent> payments_;
  std::set<std::string> event_ids_;
};

}  // namespace cofin
