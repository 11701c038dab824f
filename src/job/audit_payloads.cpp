#include "job/audit_payloads.h"

#include <map>

#include "audit/canonical_json.h"
#include "model/enums.h"

namespace cofin::audit_event {
namespace {

JsonObject base(const char* kind, std::int64_t run) {
  JsonObject o;
  o.set("event", kind).set("run", run);
  return o;
}

JsonObject report_ref(const std::string& project, int partner, int report) {
  JsonObject o;
  o.set("project", project).set("partner", partner).set("report", report);
  return o;
}

}  // namespace

// No wall-clock time goes into a payload: the workbook shows the chain's head, and the same
// inputs and as-of date must give a byte-identical workbook (spec). The receipt time is kept in
// the ledger's documents and duplicates rows and in the run log.
std::string received(std::int64_t run, const DocumentRecord& d) {
  return base(kReceived, run)
      .set("name", d.original_name)
      .set("received_path", d.received_path)
      .set("sha256", d.sha256)
      .set("size", static_cast<std::int64_t>(d.size))
      .set("kind", d.kind)
      .str();
}

std::string accepted(std::int64_t run, const DocumentRecord& d, std::size_t lines,
                     Money declared_eur, const char* kind) {
  JsonObject o = base(kind, run);
  o.set("name", d.original_name)
      .set("sha256", d.sha256)
      .set("kind", d.kind)
      .set("business_key", d.business_key)
      .set("stored_path", d.stored_path);
  if (d.kind == "report") {
    o.set("lines", static_cast<std::int64_t>(lines)).set("declared_eur", declared_eur);
  }
  return o.str();
}

std::string rejected(std::int64_t run, const DocumentRecord& d) {
  return base(kRejected, run)
      .set("name", d.original_name)
      .set("sha256", d.sha256)
      .set("kind", d.kind)
      .set("reason", d.reason)
      .set("stored_path", d.stored_path)
      .str();
}

std::string duplicate(std::int64_t run, const DuplicateRecord& d, const DocumentRecord& first) {
  return base(kDuplicate, run)
      .set("name", d.name)
      .set("sha256", d.sha256)
      .set("size", static_cast<std::int64_t>(d.size))
      .set("received_path", d.received_path)
      .set("stored_path", d.stored_path)
      .set("first_name", first.original_name)
      .set("first_run", first.run_id)
      .str();
}

std::string control(std::int64_t run, const std::string& sha256, const ControlResult& c) {
  JsonArray decisions;
  Money deducted;
  for (const LineDecision& d : c.decisions) {
    JsonObject o;
    o.set("line", d.line).set("parked", d.parked).set("deducted", d.deducted);
    if (!d.typology.empty()) o.set("typology", d.typology);
    decisions.push(o);
    deducted += d.deducted;
  }
  return base(kControl, run)
      .set("sha256", sha256)
      .set("id", c.id)
      .set("report", report_ref(c.project, c.partner, c.report))
      .set("controller", c.controller)
      .set("certified_on", c.certified_on.to_string())
      .set("replaces", c.replaces)
      .set("decisions", decisions)
      .set("deducted", deducted)
      .str();
}

std::string approval(std::int64_t run, const std::string& sha256, const ApprovalEvent& a) {
  JsonArray covers;
  for (const PartnerReportRef& r : a.covers)
    covers.push(report_ref(r.project, r.partner, r.report));
  Money deducted;
  for (const ApprovalDeduction& d : a.deductions) deducted += d.amount;
  return base(kApproval, run)
      .set("sha256", sha256)
      .set("id", a.id)
      .set("project", a.project)
      .set("project_report", a.project_report)
      .set("date", a.date.to_string())
      .set("covers", covers)
      .set("deducted", deducted)
      .str();
}

std::string payment(std::int64_t run, const std::string& sha256, const PaymentEvent& p) {
  return base(kPayment, run)
      .set("sha256", sha256)
      .set("id", p.id)
      .set("fund", fund_name(p.fund))
      .set("report", report_ref(p.report.project, p.report.partner, p.report.report))
      .set("payment_ref", p.payment_ref)
      .set("date", p.date.to_string())
      .set("amount", p.amount)
      .str();
}

std::string rates(std::int64_t run, const std::string& sha256,
                  const std::vector<ExchangeRate>& rates) {
  JsonArray list;
  for (const ExchangeRate& r : rates) {
    JsonObject o;
    o.set("currency", r.currency)
        .set("year", r.year)
        .set("month", static_cast<int>(r.month))
        .set("units_per_eur", r.units_per_eur.to_string());  // exact decimal, as text
    list.push(o);
  }
  return base(kRates, run).set("sha256", sha256).set("rates", list).str();
}

std::string finding(std::int64_t run, const Diagnostic& d) {
  JsonObject o = base(kFinding, run);
  o.set("severity", severity_name(d.severity))
      .set("rule", d.rule_id)
      .set("file", d.file)
      .set("line", d.line)
      .set("column", d.column)
      .set("field", d.field)
      .set("message", d.message);
  if (d.amount) o.set("amount", *d.amount);
  return o.str();
}

std::string amounts(std::int64_t run, const std::string& as_of,
                    const std::vector<ReportOutcome>& reports) {
  JsonArray list;
  Money erdf_due;
  Money state_due;
  for (const ReportOutcome& r : reports) {
    JsonObject o = report_ref(r.project, r.partner, r.report);
    o.set("status", r.status)
        .set("declared", r.declared)
        .set("deducted", r.deducted)
        .set("parked", r.parked)
        .set("eligible", r.eligible)
        .set("erdf", r.erdf)
        .set("state", r.state)
        .set("own", r.own)
        .set("erdf_due", r.erdf_due)
        .set("state_due", r.state_due)
        .set("erdf_paid", r.erdf_paid)
        .set("state_paid", r.state_paid);
    list.push(o);
    erdf_due += r.erdf_due;
    state_due += r.state_due;
  }
  return base(kAmounts, run)
      .set("as_of", as_of)
      .set("reports", list)
      .set("erdf_due", erdf_due)
      .set("state_due", state_due)
      .str();
}

std::string workbook(std::int64_t run, const std::string& path, const std::string& sha256,
                     std::int64_t head_seq, const std::string& head_before) {
  return base(kWorkbook, run)
      .set("path", path)
      .set("sha256", sha256)
      .set("audit_seq_shown", head_seq)
      .set("audit_head_shown", head_before)
      .str();
}

std::string inputs_changed(std::int64_t run, const std::vector<ConfigInput>& before,
                           const std::vector<ConfigInput>& now) {
  std::map<std::string, std::string> old_hash;
  for (const ConfigInput& c : before) old_hash[c.kind + " " + c.file] = c.sha256;
  JsonArray changes;
  for (const ConfigInput& c : now) {
    auto it = old_hash.find(c.kind + " " + c.file);
    if (it != old_hash.end() && it->second == c.sha256) continue;
    JsonObject o;
    o.set("kind", c.kind)
        .set("file", c.file)
        .set("sha256", c.sha256)
        .set("previous_sha256", it == old_hash.end() ? std::string() : it->second);
    changes.push(o);
  }
  return base(kInputsChanged, run).set("changes", changes).str();
}

std::string recovery(std::int64_t run, const std::vector<std::int64_t>& interrupted,
                     const std::vector<PendingMove>& completed) {
  JsonArray runs;
  for (std::int64_t r : interrupted) runs.push(r);
  JsonArray moves;
  for (const PendingMove& m : completed) {
    JsonObject o;
    o.set("sha256", m.sha256).set("from", m.source).set("to", m.destination).set("copy", m.copy);
    moves.push(o);
  }
  return base(kRecovery, run).set("interrupted_runs", runs).set("moves_completed", moves).str();
}

std::string run_finished(std::int64_t run, const RunRecord& r, Money erdf_due, Money state_due) {
  return base(kRunFinished, run)
      .set("as_of", r.as_of)
      .set("accepted", r.accepted)
      .set("rejected", r.rejected)
      .set("duplicates", r.duplicates)
      .set("findings", r.findings)
      .set("workbook", r.workbook)
      .set("erdf_due", erdf_due)
      .set("state_due", state_due)
      .str();
}

}  // namespace cofin::audit_event
