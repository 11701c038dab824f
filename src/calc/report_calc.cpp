#include "calc/report_calc.h"

#include <cstdio>
#include <map>
#include <stdexcept>

#include "rules/line_rules.h"

namespace cofin {
namespace {

std::string month_label(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", d.year(), d.month());
  return buf;
}

// Returns the base of a flat rate from category totals.
Money flat_rate_base(FlatRateType type, const std::map<Category, Money>& totals) {
  auto total = [&](Category c) {
    auto it = totals.find(c);
    return it == totals.end() ? Money() : it->second;
  };
  switch (type) {
    case FlatRateType::kStaffOnOtherDirect:
      // CPR Art. 55(1): direct costs other than staff costs.
      return total(Category::kTravel) + total(Category::kExternal) + total(Category::kEquipment) +
             total(Category::kInfrastructure);
    case FlatRateType::kOfficeOnDirect:
      // CPR Art. 54(a): all direct costs.
      return total(Category::kStaff) + total(Category::kTravel) + total(Category::kExternal) +
             total(Category::kEquipment) + total(Category::kInfrastructure);
    case FlatRateType::kOfficeOnStaff:  // CPR Art. 54(b)
    case FlatRateType::kTravelOnStaff:  // Reg. 2021/1059 Art. 41(5)
    case FlatRateType::kOtherOnStaff:   // CPR Art. 56
      return total(Category::kStaff);
  }
  return Money();
}

std::string percent_text(const Rate& r) {
  return r.to_string() + " %";
}

}  // namespace

std::optional<Money> line_eur(const ExpenseLine& line, const Date& submitted_on,
                              const RateTable& rates, const ExchangeRate** used) {
  if (used) *used = nullptr;
  if (line.currency == "EUR") return line.declared;
  const ExchangeRate* rate = rates.find(line.currency, submitted_on.year(), submitted_on.month());
  if (rate == nullptr) return std::nullopt;
  if (used) *used = rate;
  // domain §5: InforEuro rate of the submission month, HALF_UP per line.
  return convert_to_eur(line.declared, rate->units_per_eur);
}

ReportComputation compute_report(const ReportInputs& in) {
  const PartnerReport& report = *in.report;
  const Project& project = *in.project;
  const Partner& partner = *in.partner;
  const ProgrammeRules& rules = *in.rules;

  ReportComputation result;
  ReportOutcome& out = result.outcome;
  out.project = project.id;
  out.acronym = project.acronym;
  out.programme = rules.id;
  out.partner = partner.number;
  out.partner_name = partner.name;
  out.partner_country = partner.country;
  out.report = report.report;
  out.period_start = report.period_start;
  out.period_end = report.period_end;
  out.submitted_on = report.submitted_on;
  out.source_file = in.source_file;
  out.sha256 = in.sha256;
  out.erdf_rate = partner.erdf_rate;
  out.per_report_rounding = rules.share_rounding == ShareRounding::kPerReport;

  const std::vector<FlatRate> flat_rates = flat_rates_in_force(rules, partner);
  const LineContext context{report, project, partner, rules, flat_rates};

  std::map<int, const LineDecision*> decisions;
  if (in.control) {
    for (const LineDecision& d : in.control->decisions) decisions[d.line] = &d;
  }
  std::map<int, Money> approval_deductions;
  if (in.approval) {
    const PartnerReportRef self{project.id, partner.number, report.report};
    for (const ApprovalDeduction& d : in.approval->deductions) {
      if (d.report == self) approval_deductions[d.line] += d.amount;
    }
  }

  std::map<Category, Money> declared_by_category;
  std::map<Category, Money> eligible_by_category;
  Money lines_declared;
  Money lines_eligible;
  for (const ExpenseLine& line : report.lines) {
    LineOutcome lo;
    lo.project = project.id;
    lo.partner = partner.number;
    lo.report = report.report;
    lo.line = line;
    lo.source_file = in.source_file;
    const ExchangeRate* rate = nullptr;
    const std::optional<Money> eur = line_eur(line, report.submitted_on, *in.rates, &rate);
    if (!eur) throw std::logic_error("compute_report: missing exchange rate (REQUIRES)");
    lo.eur = *eur;
    if (rate) {
      lo.rate = rate->units_per_eur;
      lo.rate_month = month_label(report.submitted_on);
    }
    std::vector<Diagnostic> findings = check_line(context, line, lo.eur);
    lo.ineligible = ineligible_amount(findings, lo.eur);
    bool has_error = false;
    bool has_warning = false;
    for (const Diagnostic& d : findings) {
      lo.rule_ids.push_back(d.rule_id);
      has_error = has_error || d.severity == Severity::kError;
      has_warning = has_warning || d.severity == Severity::kWarning;
    }
    lo.check_result = has_error ? "ineligible" : has_warning ? "warning" : "ok";

    auto decision = decisions.find(line.line);
    if (decision != decisions.end() && decision->second->parked) {
      lo.parked = true;
      lo.parked_eur = lo.eur;
    } else if (decision != decisions.end()) {
      lo.deducted = decision->second->deducted;
    }
    if (auto a = approval_deductions.find(line.line); a != approval_deductions.end()) {
      lo.deducted += a->second;
    }
    if (lo.parked) {
      lo.certified = Money();
    } else if (in.control) {
      // After control the controller's decision is authoritative: certified = EUR − deducted.
      // cofin's own findings stay as findings for the controller to weigh.
      lo.certified = lo.eur - lo.deducted;
    } else {
      // Before control, the eligible figure is cofin's proposal: EUR − ineligible by rules.
      lo.certified = lo.eur - lo.ineligible - lo.deducted;
    }
    declared_by_category[line.category] += lo.eur;
    eligible_by_category[line.category] += lo.certified;
    lines_declared += lo.eur;
    lines_eligible += lo.certified;
    out.parked += lo.parked_eur;
    for (Diagnostic& d : findings) result.findings.push_back(std::move(d));
    result.lines.push_back(std::move(lo));
  }

  // Flat rates are not lines: DOWN(base × rate) on the report's category totals, recomputed on
  // the eligible totals after control (domain §3, §6).
  Money flat_declared;
  Money flat_eligible;
  for (const FlatRate& f : flat_rates) {
    FlatRateOutcome fo;
    fo.type = f.type;
    fo.percent = f.percent;
    fo.declared_base = flat_rate_base(f.type, declared_by_category);
    fo.declared_amount = apply_percent(fo.declared_base, f.percent, Rounding::kDown);
    fo.eligible_base = flat_rate_base(f.type, eligible_by_category);
    fo.eligible_amount = apply_percent(fo.eligible_base, f.percent, Rounding::kDown);
    flat_declared += fo.declared_amount;
    flat_eligible += fo.eligible_amount;
    out.flat_rates.push_back(fo);
  }
  out.declared = lines_declared + flat_declared;
  out.eligible = lines_eligible + flat_eligible;
  out.deducted = out.declared - out.eligible - out.parked;

  // ERDF: FLOOR so the EU share never exceeds its rate (domain §6).
  if (out.per_report_rounding) {
    out.erdf = apply_percent(out.eligible, partner.erdf_rate, Rounding::kFloor);
  } else {
    const Money cumulative =
        apply_percent(in.prior.eligible + out.eligible, partner.erdf_rate, Rounding::kFloor);
    out.erdf = cumulative - in.prior.erdf;
  }
  const Money budgeted_erdf =
      partner.budgeted_erdf
          ? *partner.budgeted_erdf
          : apply_percent(partner.budget_total(), partner.erdf_rate, Rounding::kFloor);
  if (in.prior.erdf + out.erdf > budgeted_erdf) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.rule_id = "ERDF-CEILING";
    d.file = in.source_file;
    d.message = "cumulative ERDF capped at the partner's budgeted ERDF " +
                budgeted_erdf.to_string() + " EUR";
    d.amount = in.prior.erdf + out.erdf - budgeted_erdf;
    result.findings.push_back(d);
    out.erdf = budgeted_erdf - in.prior.erdf;
  }

  // State co-financing: the rule set's table by (country, legal status); FLOOR (domain §7).
  if (const StateCofinancingRule* sr = rules.state_rule(partner.country, partner.legal_status)) {
    out.state_percent = sr->percent;
    out.state_base = sr->base;
    out.state_rule =
        partner.country + " " + std::string(legal_status_name(sr->legal_status)) + ": " +
        percent_text(sr->percent) + " of " +
        (sr->base == StateBase::kEligibleCosts ? "eligible costs" : "national contribution");
    const Money base =
        sr->base == StateBase::kEligibleCosts ? out.eligible : out.eligible - out.erdf;
    out.state = apply_percent(base, sr->percent, Rounding::kFloor);
    if (partner.state_granted && in.prior.state + out.state > *partner.state_granted) {
      Diagnostic d;
      d.severity = Severity::kWarning;
      d.rule_id = "STATE-CEILING";
      d.file = in.source_file;
      d.message = "cumulative state co-financing capped at the granted " +
                  partner.state_granted->to_string() + " EUR";
      d.amount = in.prior.state + out.state - *partner.state_granted;
      result.findings.push_back(d);
      out.state = *partner.state_granted - in.prior.state;
    }
  } else {
    out.state_rule =
        "none for " + partner.country + " " + std::string(legal_status_name(partner.legal_status));
  }
  // The partner's own contribution is the remainder, never rounded on its own (domain §6).
  out.own = out.eligible - out.erdf - out.state;

  // No advances: shares are due only from approval (domain §2).
  for (const PaymentEvent* p : in.payments) {
    (p->fund == Fund::kErdf ? out.erdf_paid : out.state_paid) += p->amount;
  }
  if (in.approval) {
    out.due = true;
    out.erdf_due = out.erdf;
    out.state_due = out.state;
    const bool any_paid = !out.erdf_paid.is_zero() || !out.state_paid.is_zero();
    const bool all_paid = out.erdf_paid >= out.erdf_due && out.state_paid >= out.state_due;
    out.status = all_paid && any_paid ? "paid" : any_paid ? "partly paid" : "approved";
  } else {
    out.status = in.control ? "certified" : "submitted";
    out.not_due_reason = in.control ? "certified " + in.control->certified_on.to_string() +
                                          ", awaiting approval of a project report"
                                    : "awaiting the controller's result";
  }

  out.findings = static_cast<int>(result.findings.size());
  out.line_count = result.lines.size();
  return result;
}

}  // namespace cofin
