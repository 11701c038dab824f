// Small builders for hand-made model values in tests.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calc/report_calc.h"
#include "model/programme.h"
#include "model/registry.h"
#include "model/report.h"
#include "money/decimal.h"

namespace cofin::testing {

inline Money eur(std::int64_t cents) {
  return Money::from_cents(cents);
}
inline Decimal pct(const char* text) {
  return *parse_decimal(text, 2);
}
inline Date day(const char* iso) {
  return parse_date(iso)->first;
}

// Central Baltic 2021-2027 as VARAM applies it (domain §3), as a test value.
inline ProgrammeRules central_baltic() {
  ProgrammeRules r;
  r.id = "central-baltic-2021-2027";
  r.window_start = day("2021-01-01");
  r.window_end = day("2029-12-31");
  r.max_erdf_rate = pct("80");
  r.categories = {{Category::kStaff, false},    {Category::kOffice, false},
                  {Category::kTravel, false},   {Category::kExternal, true},
                  {Category::kEquipment, true}, {Category::kInfrastructure, true}};
  r.flat_rates = {{FlatRateType::kOfficeOnStaff, pct("15"), false},
                  {FlatRateType::kTravelOnStaff, pct("15"), false}};
  r.unit_costs = {{"staff-hour", Category::kStaff, eur(2400), "hour"},
                  {"event-participant-day", Category::kExternal, eur(5100), "participant-day"},
                  {"equipment-staff-hour", Category::kEquipment, eur(23), "staff hour"}};
  r.vat_threshold = eur(500000000);
  r.procurement_threshold = eur(1000000);
  r.currency_rule = "submission-month";
  r.share_rounding = ShareRounding::kPerReport;
  r.budget_flex_percent = pct("10");
  r.typologies = {{"ineligible-cost", "Ineligible cost"}};
  r.state_table = {
      {"LV", LegalStatus::kMunicipality, StateBase::kNationalContribution, pct("10")},
      {"LV", LegalStatus::kStateInstitution, StateBase::kNationalContribution, pct("100")}};
  r.controller_deadline_days = 90;
  return r;
}

inline Project cb_project() {
  Project p;
  p.id = "CB0100123";
  p.acronym = "COASTLINK";
  p.programme_id = "central-baltic-2021-2027";
  p.start = day("2024-01-01");
  p.end = day("2026-12-31");
  p.total_cost = eur(120000000);
  Partner lp;
  lp.number = 1;
  lp.name = "Limbažu novada pašvaldība";
  lp.country = "LV";
  lp.legal_status = LegalStatus::kMunicipality;
  lp.currency = "EUR";
  lp.erdf_rate = pct("80");
  lp.budget = {{Category::kStaff, eur(10000000)}, {Category::kExternal, eur(5000000)}};
  p.partners.push_back(lp);
  p.periods.push_back({1, day("2024-01-01"), day("2024-06-30"), day("2024-08-31")});
  return p;
}

// Returns the header of partner 1's first report on `project` (cb_project's first period),
// submitted on 2024-07-10, without lines.
inline PartnerReport first_report(const Project& project) {
  PartnerReport r;
  r.project = project.id;
  r.partner = 1;
  r.report = 1;
  r.period_start = day("2024-01-01");
  r.period_end = day("2024-06-30");
  r.submitted_on = day("2024-07-10");
  return r;
}

inline ExpenseLine line(int n, Category c, Money declared) {
  ExpenseLine l;
  l.line = n;
  l.category = c;
  l.declared = declared;
  l.currency = "EUR";
  // The header is row 1; a line numbered INT_MAX (codec limits) stays on row INT_MAX, not past it.
  l.pos = {"report.csv", n < std::numeric_limits<int>::max() ? n + 1 : n, 0};
  return l;
}

inline ExpenseLine unit_line(int n, Category c, const char* unit_cost, const char* units,
                             Money declared) {
  ExpenseLine l = line(n, c, declared);
  l.unit_cost = unit_cost;
  l.units = *parse_decimal(units, 2);
  return l;
}

inline ExpenseLine invoice_line(int n, Category c, Money declared, const char* invoice_date,
                                const char* payment_date) {
  ExpenseLine l = line(n, c, declared);
  l.invoice_no = "INV-" + std::to_string(n);
  l.supplier = "SIA Piegādātājs";
  l.supplier_id = "40003000000";
  l.invoice_total = declared;
  l.invoice_date = day(invoice_date);
  l.payment_date = day(payment_date);
  return l;
}

// An external-expertise line declaring `declared` on invoice `number` of `supplier_id`, whose
// total is `total` (none: not given), for the duplicate-invoice checks.
inline ExpenseLine on_invoice(int n, const char* supplier_id, const char* number, Money declared,
                              std::optional<Money> total) {
  ExpenseLine l = invoice_line(n, Category::kExternal, declared, "2024-03-01", "2024-03-02");
  l.supplier_id = supplier_id;
  l.invoice_no = number;
  l.invoice_total = total;
  return l;
}

// A report `number` of `partner` in `project` holding `lines` (header fields otherwise unset).
inline PartnerReport report_of_lines(const char* project, int partner, int number,
                                     std::vector<ExpenseLine> lines) {
  PartnerReport r;
  r.project = project;
  r.partner = partner;
  r.report = number;
  r.lines = std::move(lines);
  return r;
}

// Returns the inputs computing `report` for the first partner of `project` under `rules`, with
// `rates`; the rest (control, approval, fallback rates, prior totals) unset.
inline ReportInputs inputs_for(const PartnerReport& report, const Project& project,
                               const ProgrammeRules& rules, const RateTable& rates,
                               std::string source_file) {
  ReportInputs in;
  in.report = &report;
  in.project = &project;
  in.partner = &project.partners[0];
  in.rules = &rules;
  in.rates = &rates;
  in.source_file = std::move(source_file);
  return in;
}

}  // namespace cofin::testing
