#include "calc/portfolio.h"

#include <set>

#include "calc/report_calc.h"

namespace cofin {
namespace {

ReportKey key_of(const PartnerReportRef& r) {
  return {r.project, r.partner, r.report};
}

const ProgrammeRules* programme_of(const std::vector<ProgrammeRules>& programmes,
                                   const std::string& id) {
  for (const auto& p : programmes) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace

const AcceptedControl* Portfolio::control_in_force(const ReportKey& key) const {
  auto it = controls.find(key);
  if (it == controls.end()) return nullptr;
  std::set<std::string> replaced;
  for (const AcceptedControl& c : it->second) replaced.insert(c.control.replaces);
  const AcceptedControl* in_force = nullptr;
  for (const AcceptedControl& c : it->second) {
    if (!replaced.count(c.control.id)) in_force = &c;
  }
  return in_force;
}

RunOutcome compute_portfolio(const Portfolio& portfolio) {
  RunOutcome out;
  out.rates_used = portfolio.rates.all();
  std::map<std::pair<std::string, int>, PriorTotals> prior;
  for (const auto& [key, stored] : portfolio.reports) {
    const Project* project = portfolio.registry->project(std::get<0>(key));
    const Partner* partner = project ? project->partner(std::get<1>(key)) : nullptr;
    const ProgrammeRules* rules =
        project ? programme_of(*portfolio.programmes, project->programme_id) : nullptr;
    if (partner == nullptr || rules == nullptr) continue;
    ReportInputs in;
    in.report = &stored.report;
    in.project = project;
    in.partner = partner;
    in.rules = rules;
    auto frozen = portfolio.frozen_rates.find(key);
    in.rates = frozen != portfolio.frozen_rates.end() ? &frozen->second : &portfolio.rates;
    const AcceptedControl* control = portfolio.control_in_force(key);
    in.control = control ? &control->control : nullptr;
    for (const ApprovalEvent& a : portfolio.approvals) {
      for (const PartnerReportRef& r : a.covers) {
        if (key_of(r) == key && in.approval == nullptr) in.approval = &a;
      }
    }
    for (const PaymentEvent& p : portfolio.payments) {
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
