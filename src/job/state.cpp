#include "job/state.h"

#include "calc/report_calc.h"
#include "rules/references.h"

namespace cofin {
namespace {

ReportKey key_of(const PartnerReportRef& r) {
  return {r.project, r.partner, r.report};
}

std::string ref_text(const ReportKey& k) {
  return std::get<0>(k) + " partner " + std::to_string(std::get<1>(k)) + " report " +
         std::to_string(std::get<2>(k));
}

}  // namespace

void AcceptedState::validate(const LoadedDocument& doc, Diagnostics& diags) const {
  if (const auto* rates = std::get_if<std::vector<ExchangeRate>>(&doc.content)) {
    for (const ExchangeRate& r : *rates) {
      const ExchangeRate* known = rates_.find(r.currency, r.year, r.month);
      if (known && !(known->units_per_eur == r.units_per_eur)) {
        diags.error("VALUE-INCONSISTENT", r.pos.file, r.pos.line, 0, "units_per_eur",
                    r.currency + " " + std::to_string(r.year) + "-" + std::to_string(r.month) +
                        " is " + r.units_per_eur.to_string() + " here but " +
                        known->units_per_eur.to_string() +
                        " in the ledger: rates are frozen once used");
      }
    }
  } else if (const auto* report = std::get_if<PartnerReport>(&doc.content)) {
    check_report_references(*report, ctx_.registry, ctx_.programmes, rates_, diags);
  } else if (const auto* control = std::get_if<ControlResult>(&doc.content)) {
    const ReportKey key{control->project, control->partner, control->report};
    auto it = reports_.find(key);
    if (it == reports_.end()) {
      diags.error("REF-REPORT", control->pos.file, control->pos.line, control->pos.column, "report",
                  "no accepted partner report " + ref_text(key) + " to control");
    }
    check_control_references(*control, it == reports_.end() ? nullptr : &it->second.report,
                             ctx_.registry, ctx_.programmes, diags);
    if (!control->replaces.empty()) {
      bool found = false;
      if (auto c = controls_.find(key); c != controls_.end()) {
        for (const StoredControl& s : c->second) found = found || s.control.id == control->replaces;
      }
      if (!found) {
        diags.error("REF-REPLACED", control->pos.file, control->pos.line, control->pos.column,
                    "replaces",
                    "replaces control result " + quote(control->replaces) +
                        ", which is not in the ledger for " + ref_text(key));
      }
    }
  } else if (const auto* events = std::get_if<EventsDocument>(&doc.content)) {
    auto need_report = [&](const PartnerReportRef& ref, const SourcePos& pos) {
      if (reports_.count(key_of(ref)) == 0) {
        diags.error("REF-REPORT", pos.file, pos.line, pos.column, "report",
                    "no accepted partner report " + ref_text(key_of(ref)));
      }
    };
    for (const Event& event : events->events) {
      const std::string id = std::visit([](const auto& e) { return e.id; }, event);
      const SourcePos pos = std::visit([](const auto& e) { return e.pos; }, event);
      if (event_ids_.count(id)) {
        diags.error("DOC-KEY-CONFLICT", pos.file, pos.line, pos.column, "id",
                    "event " + quote(id) + " was received before");
      }
      if (const auto* a = std::get_if<ApprovalEvent>(&event)) {
        for (const PartnerReportRef& r : a->covers) need_report(r, a->pos);
      } else if (const auto* p = std::get_if<PaymentEvent>(&event)) {
        need_report(p->report, p->pos);
      }
    }
  }
}

void AcceptedState::absorb(LoadedDocument&& doc, const std::string& file,
                           const std::string& sha256) {
  if (auto* rates = std::get_if<std::vector<ExchangeRate>>(&doc.content)) {
    for (const ExchangeRate& r : *rates) rates_.add(r);
  } else if (auto* report = std::get_if<PartnerReport>(&doc.content)) {
    const ReportKey key{report->project, report->partner, report->report};
    reports_[key] = StoredReport{std::move(*report), file, sha256};
  } else if (auto* control = std::get_if<ControlResult>(&doc.content)) {
    const ReportKey key{control->project, control->partner, control->report};
    controls_[key].push_back(StoredControl{std::move(*control), file});
  } else if (auto* events = std::get_if<EventsDocument>(&doc.content)) {
    for (Event& event : events->events) {
      event_ids_.insert(std::visit([](const auto& e) { return e.id; }, event));
      if (auto* a = std::get_if<ApprovalEvent>(&event)) {
        approvals_.push_back(std::move(*a));
      } else if (auto* p = std::get_if<PaymentEvent>(&event)) {
        payments_.push_back(std::move(*p));
      }
    }
  }
}

const StoredControl* AcceptedState::control_in_force(const ReportKey& key) const {
  auto it = controls_.find(key);
  if (it == controls_.end()) return nullptr;
  std::set<std::string> replaced;
  for (const StoredControl& c : it->second) replaced.insert(c.control.replaces);
  const StoredControl* in_force = nullptr;
  for (const StoredControl& c : it->second) {
    if (!replaced.count(c.control.id)) in_force = &c;
  }
  return in_force;
}

RunOutcome AcceptedState::compute() const {
  RunOutcome out;
  out.rates_used = rates_.all();
  out.rule_sets = ctx_.rule_sets;
  std::map<std::pair<std::string, int>, PriorTotals> prior;
  for (const auto& [key, stored] : reports_) {
    const Project* project = ctx_.registry.project(std::get<0>(key));
    const Partner* partner = project ? project->partner(std::get<1>(key)) : nullptr;
    const ProgrammeRules* rules =
        project ? find_programme(ctx_.programmes, project->programme_id) : nullptr;
    if (partner == nullptr || rules == nullptr) continue;  // validated at acceptance
    ReportInputs in;
    in.report = &stored.report;
    in.project = project;
    in.partner = partner;
    in.rules = rules;
    in.rates = &rates_;
    const StoredControl* control = control_in_force(key);
    in.control = control ? &control->control : nullptr;
    for (const ApprovalEvent& a : approvals_) {
      for (const PartnerReportRef& r : a.covers) {
        if (key_of(r) == key && in.approval == nullptr) in.approval = &a;
      }
    }
    for (const PaymentEvent& p : payments_) {
      if (key_of(p.report) == key) in.payments.push_back(&p);
    }
    PriorTotals& totals = prior[{project->id, partner->number}];
    in.prior = totals;
    in.source_file = stored.file;
    in.sha256 = stored.sha256;
    ReportComputation c = compute_report(in);
    totals.eligible += c.outcome.eligible;
    totals.erdf += c.outcome.erdf;
    totals.state += c.outcome.state;
    c.outcome.first_line = out.lines.size();
    out.reports.push_back(std::move(c.outcome));
    for (LineOutcome& l : c.lines) out.lines.push_back(std::move(l));
    for (Diagnostic& d : c.findings) out.findings.push_back(std::move(d));
  }
  return out;
}

}  // namespace cofin
