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

  // No double funding across lines, reports, partners, projects and runs: the portfolio holds
  // every accepted report, so the duplicate check sees them all at once (domain §4).
  std::vector<InvoiceUse> uses;
  for (const auto& [key, stored] : portfolio.reports) {
    for (const ExpenseLine& line : stored.report.lines) {
      uses.push_back(
          {LineRef{std::get<0>(key), std::get<1>(key), std::get<2>(key), line.line}, &line});
    }
  }
  const std::map<LineRef, DuplicateHit> duplicates = find_duplicate_invoices(std::move(uses));

  struct PartnerState {
    PriorTotals prior;
    ParkedOrigins origins;
    std::set<std::string> reincluded;
  };
  std::map<std::pair<std::string, int>, PartnerState> partners;
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
    PartnerState& state = partners[{project->id, partner->number}];
    in.prior = state.prior;
    in.origins = &state.origins;
    in.already_reincluded = state.reincluded;
    in.as_of = portfolio.as_of;
    for (auto it = duplicates.lower_bound(
             LineRef{std::get<0>(key), std::get<1>(key), std::get<2>(key), 0});
         it != duplicates.end() && it->first.project == std::get<0>(key) &&
         it->first.partner == std::get<1>(key) && it->first.report == std::get<2>(key);
         ++it) {
      in.duplicates[it->first.line] = it->second;
    }
    in.source_file = stored.file;
    in.sha256 = stored.sha256;
    ReportComputation c = compute_report(in);

    state.prior.eligible += c.outcome.eligible;
    state.prior.erdf += c.outcome.erdf;
    state.prior.state += c.outcome.state;
    for (const auto& [category, amount] : c.certified_by_category) {
      state.prior.by_category[category] += amount;
    }
    for (const LineOutcome& l : c.lines) {
      ParkedOrigin o;
      o.parked = l.parked;
      o.declared = l.line.declared;
      o.currency = l.line.currency;
      o.rate = l.rate;
      o.rate_month = l.rate_month;
      state.origins[origin_label(l.report, l.line.line)] = o;
    }
    for (const std::string& label : c.reincluded_origins) state.reincluded.insert(label);

    c.outcome.first_line = out.lines.size();
    out.reports.push_back(std::move(c.outcome));
    for (LineOutcome& l : c.lines) out.lines.push_back(std::move(l));
    for (Diagnostic& d : c.findings) out.findings.push_back(std::move(d));
    for (BudgetRow& b : c.budget) out.budget.push_back(std::move(b));
    for (DeductionEntry& d : c.deductions) out.deductions.push_back(std::move(d));
    for (PaymentOutcome& p : c.payments) out.payments.push_back(std::move(p));
  }
  return out;
}

}  // namespace cofin
