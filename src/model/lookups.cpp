// Lookup helpers of the document model.
#include <fnmatch.h>

#include "model/job.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

const CategoryRule* ProgrammeRules::category(Category c) const {
  for (const auto& r : categories) {
    if (r.category == c) return &r;
  }
  return nullptr;
}

const UnitCost* ProgrammeRules::unit_cost(std::string_view unit_cost_id) const {
  for (const auto& u : unit_costs) {
    if (u.id == unit_cost_id) return &u;
  }
  return nullptr;
}

const Typology* ProgrammeRules::typology(std::string_view typology_id) const {
  for (const auto& t : typologies) {
    if (t.id == typology_id) return &t;
  }
  return nullptr;
}

const StateCofinancingRule* ProgrammeRules::state_rule(std::string_view country,
                                                       LegalStatus status) const {
  for (const auto& r : state_table) {
    if (r.country == country && r.legal_status == status) return &r;
  }
  return nullptr;
}

Money Partner::budget_total() const {
  Money total;
  for (const auto& [category, amount] : budget) total += amount;
  return total;
}

const ChosenFlatRate* Partner::flat_rate(FlatRateType t) const {
  for (const auto& f : flat_rates) {
    if (f.type == t) return &f;
  }
  return nullptr;
}

const Partner* Project::partner(int number) const {
  for (const auto& p : partners) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

const ReportingPeriod* Project::period(int number) const {
  for (const auto& p : periods) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

const ReportingPeriod* Project::period_matching(const Date& from, const Date& to) const {
  for (const auto& p : periods) {
    if (p.start == from && p.end == to) return &p;
  }
  return nullptr;
}

const Project* Registry::project(std::string_view id) const {
  for (const auto& p : projects) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

bool same_content(const ExpenseLine& a, const ExpenseLine& b) {
  return a.line == b.line && a.category == b.category && a.unit_cost == b.unit_cost &&
         a.units == b.units && a.internal_ref == b.internal_ref && a.invoice_no == b.invoice_no &&
         a.invoice_date == b.invoice_date && a.payment_date == b.payment_date &&
         a.supplier == b.supplier && a.supplier_id == b.supplier_id &&
         a.procurement_ref == b.procurement_ref && a.description == b.description &&
         a.invoice_total == b.invoice_total && a.vat == b.vat && a.declared == b.declared &&
         a.currency == b.currency && a.reincluded_from == b.reincluded_from;
}

void reset_keeping_capacity(ExpenseLine& line) {
  // Field by field: assigning a default line would cost as much as the row's parsing. A field
  // added to ExpenseLine changes its size and stops the build here until it is reset below.
  static_assert(sizeof(void*) != 8 || sizeof(ExpenseLine) == 424,
                "ExpenseLine changed: reset its new fields in reset_keeping_capacity");
  line.line = 0;
  line.category = Category::kStaff;
  line.unit_cost.clear();
  line.units.reset();
  line.internal_ref.clear();
  line.invoice_no.clear();
  line.invoice_date.reset();
  line.payment_date.reset();
  line.supplier.clear();
  line.supplier_id.clear();
  line.procurement_ref.clear();
  line.description.clear();
  line.invoice_total.reset();
  line.vat.reset();
  line.declared = Money();
  line.currency.clear();
  line.reincluded_from.clear();
  line.pos.file.clear();
  line.pos.line = 0;
  line.pos.column = 0;
}

PartnerReport header_of(const PartnerReport& report) {
  PartnerReport header;
  header.project = report.project;
  header.partner = report.partner;
  header.report = report.report;
  header.period_start = report.period_start;
  header.period_end = report.period_end;
  header.submitted_on = report.submitted_on;
  header.pos = report.pos;
  return header;
}

bool same_content(const PartnerReport& a, const PartnerReport& b) {
  if (a.project != b.project || a.partner != b.partner || a.report != b.report ||
      a.period_start != b.period_start || a.period_end != b.period_end ||
      a.submitted_on != b.submitted_on || a.lines.size() != b.lines.size()) {
    return false;
  }
  for (std::size_t k = 0; k < a.lines.size(); ++k) {
    if (!same_content(a.lines[k], b.lines[k])) return false;
  }
  return true;
}

bool RateTable::add(const ExchangeRate& rate) {
  auto [it, inserted] = rates_.try_emplace({rate.currency, rate.year, rate.month}, rate);
  return inserted || it->second.units_per_eur == rate.units_per_eur;
}

const ExchangeRate* RateTable::find(std::string_view currency, int year, unsigned month) const {
  auto it = rates_.find({std::string(currency), year, month});
  return it == rates_.end() ? nullptr : &it->second;
}

std::vector<ExchangeRate> RateTable::all() const {
  std::vector<ExchangeRate> out;
  for (const auto& [key, rate] : rates_) out.push_back(rate);
  return out;
}

std::string Job::charset_for(const std::string& file_name) const {
  for (const auto& e : encodings) {
    if (fnmatch(e.pattern.c_str(), file_name.c_str(), 0) == 0) return e.charset;
  }
  return "utf-8";
}

}  // namespace cofin
