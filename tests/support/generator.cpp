#include "support/generator.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "money/decimal.h"
#include "money/rounding.h"

namespace cofin::testing {
namespace {

Money cents(std::int64_t c) {
  return Money::from_cents(c);
}
Rate percent(std::int64_t whole) {
  return Decimal::from_units(whole * 100, 2);
}
Date ymd(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}

// splitmix64: small, fast, and good enough to spread keys over lines.
std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A stream of numbers from one seed.
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return state_ = splitmix(state_); }
  // Returns a number in [lo, hi].
  std::int64_t in(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool percent(int p) { return in(0, 99) < p; }

 private:
  std::uint64_t state_;
};

enum Salt : std::int64_t {
  kLine = 1,
  kPark = 2,
  kReinclude = 3,
  kHeader = 4,
  kPartner = 5,
  kControl = 6,
  kPayment = 7,
};

struct PartnerProfile {
  const char* country;
  LegalStatus status;
  const char* currency;
  bool vat_recoverable;
  bool state_aid;
  int vat_percent;
  const char* name;
};

constexpr PartnerProfile kProfiles[] = {
    {"LV", LegalStatus::kMunicipality, "EUR", false, false, 21, "Novada pašvaldība"},
    {"EE", LegalStatus::kMunicipality, "EUR", false, false, 22, "Linnavalitsus"},
    {"SE", LegalStatus::kOther, "SEK", true, false, 25, "Region"},
    {"LV", LegalStatus::kAssociationFoundation, "EUR", true, true, 21, "Biedrība"},
};

const PartnerProfile& profile(int partner) {
  return kProfiles[(partner - 1) % 4];
}

// Reporting period `report` (1-based): half-years from 2024-01-01.
std::pair<Date, Date> period_of(int report) {
  const int half = report - 1;
  const int year = 2024 + half / 2;
  return half % 2 == 0 ? std::pair{ymd(year, 1, 1), ymd(year, 6, 30)}
                       : std::pair{ymd(year, 7, 1), ymd(year, 12, 31)};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string xml_attr(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The VAT included in a gross amount at `vat_percent`: HALF_UP(gross × p / (100 + p)).
Money vat_in(Money gross, int vat_percent) {
  return Money::from_i128(divide_rounded(static_cast<i128>(gross.cents()) * vat_percent,
                                         100 + vat_percent, Rounding::kHalfUp));
}

// The anomalies, each breaking one rule (ids in the comments).
enum Anomaly {
  kOfficeRealCost,        // CAT-FLAT-RATE-COVERED
  kStaffRealCost,         // CAT-REAL-NOT-ALLOWED, STAFF-INVOICE
  kInvoiceBeforeProject,  // ELIG-PERIOD
  kNotPaid,               // ELIG-NOT-PAID
  kPaidBeforeInvoice,     // ELIG-PAYMENT-BEFORE-INVOICE
  kPaidOutsideReport,     // ELIG-REPORT-PERIOD
  kDeclaredOverInvoice,   // AMOUNT-DECLARED-OVER-INVOICE
  kVatOverInvoice,        // AMOUNT-VAT-OVER-INVOICE
  kSignMismatch,          // AMOUNT-SIGN
  kUnitCostAmount,        // UNIT-COST-AMOUNT
  kUnitCostCategory,      // UNIT-COST-CATEGORY
  kProcurementMissing,    // PROCUREMENT-REF-MISSING
  kDuplicateInvoice,      // DUP-INVOICE, DUP-INVOICE-REPEAT
  kSharedInvoice,         // DUP-INVOICE once the shares exceed the total
  kUnknownOrigin,         // REINCLUDED-ORIGIN
  kStaffUnitWithInvoice,  // STAFF-INVOICE
  kAnomalyCount,
};

}  // namespace

std::string generated_project_id(int project) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "GEN%04d", project + 1);
  return buf;
}

Portfolio GeneratedWorld::portfolio() const {
  Portfolio p;
  p.registry = &registry;
  p.programmes = &programmes;
  p.as_of = as_of;
  p.rates = rates;
  for (const PartnerReport& r : reports) {
    p.reports[{r.project, r.partner, r.report}] = AcceptedReport{
        std::make_shared<const PartnerReport>(r),
        r.project + "-p" + std::to_string(r.partner) + "-r" + std::to_string(r.report) + ".csv", "",
        nullptr};
  }
  for (const ControlResult& c : controls) {
    p.controls[{c.project, c.partner, c.report}].push_back(
        AcceptedControl{std::make_shared<const ControlResult>(c), c.id + ".xml", nullptr});
  }
  p.approvals = approvals;
  p.payments = payments;
  return p;
}

ReportGenerator::ReportGenerator(GeneratorOptions options) : options_(options) {
  options_.partners_per_project = std::clamp(options_.partners_per_project, 1, 4);
  options_.reports_per_partner = std::clamp(options_.reports_per_partner, 1, 6);
  options_.lines_per_report = std::max(options_.lines_per_report, 4);
}

std::uint64_t ReportGenerator::mix(std::initializer_list<std::int64_t> parts) const {
  std::uint64_t h = splitmix(options_.seed);
  for (std::int64_t p : parts) h = splitmix(h ^ static_cast<std::uint64_t>(p));
  return h;
}

ProgrammeRules ReportGenerator::programme() const {
  // jobs/programmes/central-baltic-2021-2027.xml, as values.
  ProgrammeRules r;
  r.id = "central-baltic-2021-2027";
  r.name = "Interreg Central Baltic 2021-2027";
  r.window_start = ymd(2021, 1, 1);
  r.window_end = ymd(2029, 12, 31);
  r.max_erdf_rate = percent(80);
  r.categories = {{Category::kStaff, false},    {Category::kOffice, false},
                  {Category::kTravel, false},   {Category::kExternal, true},
                  {Category::kEquipment, true}, {Category::kInfrastructure, true}};
  r.flat_rates = {{FlatRateType::kOfficeOnStaff, percent(15), false},
                  {FlatRateType::kTravelOnStaff, percent(15), false}};
  r.unit_costs = {{"staff-hour", Category::kStaff, cents(2400), "hour"},
                  {"event-participant-day", Category::kExternal, cents(5100), "participant-day"},
                  {"equipment-staff-hour", Category::kEquipment, cents(23), "staff-hour"}};
  r.vat_threshold = cents(500000000);
  r.procurement_threshold = cents(1000000);
  r.currency_rule = "submission-month";
  r.share_rounding = options_.rounding;
  r.budget_flex_percent = percent(10);
  r.budget_flex_base = FlexBase::kCategory;
  r.typologies = {{"ineligible-cost", "Cost not eligible under the programme rules"},
                  {"missing-document", "Supporting document missing or insufficient"},
                  {"public-procurement", "Public procurement rules not followed"},
                  {"vat-recoverable", "Recoverable VAT declared where not eligible"},
                  {"outside-period", "Cost incurred or paid outside the eligible period"},
                  {"double-funding", "Cost financed twice"},
                  {"calculation-error", "Calculation or conversion error"}};
  r.state_table = {
      {"LV", LegalStatus::kStateInstitution, StateBase::kNationalContribution, percent(100)},
      {"LV", LegalStatus::kMunicipality, StateBase::kNationalContribution, percent(10)},
      {"LV", LegalStatus::kAssociationFoundation, StateBase::kNationalContribution, percent(10)}};
  r.controller_deadline_days = 90;
  return r;
}

Registry ReportGenerator::registry() const {
  Registry reg;
  const int reports = options_.reports_per_partner;
  // An average line is worth about EUR 2,000; budgets are sized from that.
  const std::int64_t expected = 200000LL * options_.lines_per_report * reports;
  for (int i = 0; i < options_.projects; ++i) {
    Project p;
    p.id = generated_project_id(i);
    p.acronym = "GEN" + std::to_string(i + 1);
    p.programme_id = "central-baltic-2021-2027";
    p.start = ymd(2024, 1, 1);
    p.end = ymd(2026, 12, 31);
    // Every other project is at or above EUR 5 M, where recoverable VAT is ineligible.
    p.total_cost = cents(i % 2 == 0 ? 150000000 : 600000000);
    for (int n = 1; n <= options_.partners_per_project; ++n) {
      const PartnerProfile& prof = profile(n);
      Draw draw(mix({kPartner, i, n}));
      const bool tight = draw.percent(options_.tight_budget_percent);
      // Tight budgets are 60 % of the expected spending: the reports overrun them.
      const std::int64_t total = tight ? expected * 6 / 10 : expected * 3 / 2;
      Partner partner;
      partner.number = n;
      partner.name = std::string(prof.name) + " " + std::to_string(i + 1) + "/" + std::to_string(n);
      partner.registration_no = std::to_string(40000000000LL + i * 10 + n);
      partner.country = prof.country;
      partner.legal_status = prof.status;
      partner.state_aid_relevant = prof.state_aid;
      partner.vat_recoverable = prof.vat_recoverable;
      partner.currency = prof.currency;
      partner.erdf_rate = percent(80);
      partner.budget = {{Category::kStaff, cents(total * 40 / 100)},
                        {Category::kOffice, cents(total * 6 / 100)},
                        {Category::kTravel, cents(total * 6 / 100)},
                        {Category::kExternal, cents(total * 35 / 100)},
                        {Category::kEquipment, cents(total * 10 / 100)},
                        {Category::kInfrastructure, cents(total * 3 / 100)}};
      if (std::string(prof.country) == "LV") {
        // VARAM's ceiling: tight ones below the 2 % the table would give.
        partner.state_granted = cents(tight ? total / 100 : total * 3 / 100);
      }
      p.partners.push_back(partner);
    }
    for (int k = 1; k <= 6; ++k) {
      const auto [start, end] = period_of(k);
      p.periods.push_back({k, start, end, end.plus_days(60)});
    }
    reg.projects.push_back(std::move(p));
  }
  return reg;
}

RateTable ReportGenerator::rates() const {
  RateTable t;
  for (int y = 2024; y <= 2027; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      // Around 11.0-11.9 SEK per EUR, 6 decimals (InforEuro shape).
      const std::int64_t micro = 11000000 + static_cast<std::int64_t>(mix({y, m}) % 900000);
      t.add({"SEK", y, m, Decimal::from_units(micro, 6), {}});
    }
  }
  return t;
}

PartnerReport ReportGenerator::header(int project, int partner, int report) const {
  PartnerReport r;
  r.project = generated_project_id(project);
  r.partner = partner;
  r.report = report;
  const auto [start, end] = period_of(report);
  r.period_start = start;
  r.period_end = end;
  Draw draw(mix({kHeader, project, partner, report}));
  // Mostly within the 60-day deadline; one in ten late (DEADLINE-SUBMISSION).
  r.submitted_on = end.plus_days(draw.percent(10) ? static_cast<int>(draw.in(61, 120))
                                                  : static_cast<int>(draw.in(5, 55)));
  r.pos = {r.project + "-p" + std::to_string(partner) + "-r" + std::to_string(report) + ".csv", 2,
           0};
  return r;
}

ExpenseLine ReportGenerator::regular_line(int project, int partner, int report, int n,
                                          std::uint64_t seed) const {
  const PartnerProfile& prof = profile(partner);
  const auto [start, end] = period_of(report);
  Draw draw(seed);
  ExpenseLine l;
  l.line = n;
  l.currency = "EUR";
  const std::int64_t kind = draw.in(0, 99);
  if (kind < 25) {
    // A face-to-face event: participant-days × EUR 51 (unit costs are EUR only).
    l.category = Category::kExternal;
    l.unit_cost = "event-participant-day";
    const std::int64_t days = draw.in(1, 60);
    l.units = Decimal::from_units(days * 100, 2);
    l.declared = cents(days * 5100);
    l.description = "Event, " + std::to_string(days) + " participant-days";
    return l;
  }
  l.category = kind < 75   ? Category::kExternal
               : kind < 95 ? Category::kEquipment
                           : Category::kInfrastructure;
  l.currency = prof.currency;
  const std::int64_t eur_cents = draw.in(5000, 900000);
  // SEK lines are about 11 times their EUR worth.
  const Money gross = cents(l.currency == "SEK" ? eur_cents * 11 : eur_cents);
  l.invoice_total = gross;
  l.vat = vat_in(gross, prof.vat_percent);
  l.declared = gross;
  l.invoice_no = "INV-" + std::to_string(project + 1) + "-" + std::to_string(partner) + "-" +
                 std::to_string(report) + "-" + std::to_string(n);
  const std::int64_t supplier = draw.in(1, 50);
  l.supplier = std::string(prof.country) + " supplier " + std::to_string(supplier);
  l.supplier_id = std::string(prof.country) + std::to_string(40003000000LL + supplier);
  l.internal_ref = "IR-" + std::to_string(n);
  const int span = end.days_since_epoch() - start.days_since_epoch();
  l.invoice_date = start.plus_days(static_cast<int>(draw.in(0, span - 21)));
  l.payment_date = l.invoice_date->plus_days(static_cast<int>(draw.in(0, 20)));
  l.description = std::string(category_name(l.category)) + " purchase, line " + std::to_string(n);
  if (draw.percent(5))
    l.procurement_ref = "PP-" + std::to_string(project + 1) + "-" + std::to_string(supplier);
  return l;
}

ExpenseLine ReportGenerator::line(int project, int partner, int report, int n) const {
  const PartnerReport h = header(project, partner, report);
  Draw draw(mix({kLine, project, partner, report, n}));
  const std::uint64_t seed = draw.next();
  // Staff hours for the report: line 1, and line 2 the per-staff-hour equipment unit cost.
  Draw hours_draw(mix({kLine, project, partner, report, 0}));
  const std::int64_t hours_hundredths = hours_draw.in(4000, 20000);
  ExpenseLine l;
  l.line = n;
  l.currency = "EUR";
  l.pos = {h.pos.file, n + 1, 0};
  if (n == 1) {
    l.category = Category::kStaff;
    l.unit_cost = "staff-hour";
    l.units = Decimal::from_units(hours_hundredths, 2);
    l.declared = multiply(*l.units, cents(2400), Rounding::kDown);  // domain §6: DOWN
    l.description = "Staff hours";
    return l;
  }
  if (n == 2) {
    l.category = Category::kEquipment;
    l.unit_cost = "equipment-staff-hour";
    // One report in ten declares other hours than the staff lines (UNIT-COST-STAFF-HOURS).
    l.units = Decimal::from_units(hours_hundredths + (hours_draw.percent(10) ? 100 : 0), 2);
    l.declared = multiply(*l.units, cents(23), Rounding::kDown);
    l.description = "Equipment per staff hour";
    return l;
  }
  // A parked line of the previous report comes back here, half the time.
  if (report > 1 && draw.percent(50)) {
    const ExpenseLine origin = line(project, partner, report - 1, n);
    Draw park(mix({kPark, project, partner, report - 1, n}));
    if (origin.reincluded_from.empty() && !origin.is_unit_cost() && park.percent(8)) {
      ExpenseLine back = origin;
      back.line = n;
      back.pos = l.pos;
      back.reincluded_from = "R" + std::to_string(report - 1) + "." + std::to_string(n);
      return back;
    }
  }
  const std::int64_t roll = draw.in(0, 99);
  ExpenseLine base = regular_line(project, partner, report, n, seed);
  base.pos = l.pos;
  if (roll >= options_.anomaly_percent) {
    // Three in a hundred of the rest are negative corrections (credit notes).
    if (roll < options_.anomaly_percent + 3 && base.invoice_total) {
      base.declared = -base.declared;
      base.invoice_total = -*base.invoice_total;
      base.vat = -*base.vat;
      base.invoice_no = "CN-" + base.invoice_no;
      base.description = "Credit note";
    }
    return base;
  }
  const PartnerProfile& prof = profile(partner);
  const auto [start, end] = period_of(report);
  const int anomaly = static_cast<int>(draw.in(0, kAnomalyCount - 1));
  auto make_invoice = [&](ExpenseLine& x) {
    if (x.invoice_total) return;
    x = regular_line(project, partner, report, n, seed ^ 0x5555);
    x.pos = l.pos;
    if (x.is_unit_cost()) {
      x.unit_cost.clear();
      x.units.reset();
      x.currency = prof.currency;
      x.invoice_total = x.declared;
      x.vat = vat_in(x.declared, prof.vat_percent);
      x.invoice_no = "INV-X-" + std::to_string(project + 1) + "-" + std::to_string(partner) + "-" +
                     std::to_string(report) + "-" + std::to_string(n);
      x.supplier_id = std::string(prof.country) + "40003000999";
      x.supplier = "Fallback supplier";
      x.invoice_date = start.plus_days(10);
      x.payment_date = start.plus_days(20);
    }
  };
  switch (anomaly) {
    case kOfficeRealCost:
      make_invoice(base);
      base.category = Category::kOffice;
      break;
    case kStaffRealCost:
      make_invoice(base);
      base.category = Category::kStaff;
      break;
    case kInvoiceBeforeProject:
      make_invoice(base);
      base.invoice_date = ymd(2023, 11, 15);
      break;
    case kNotPaid:
      make_invoice(base);
      base.payment_date.reset();
      break;
    case kPaidBeforeInvoice:
      make_invoice(base);
      base.payment_date = base.invoice_date->plus_days(-5);
      break;
    case kPaidOutsideReport:
      make_invoice(base);
      base.payment_date = end.plus_days(3);
      break;
    case kDeclaredOverInvoice:
      make_invoice(base);
      base.declared = base.declared + cents(10000);
      break;
    case kVatOverInvoice:
      make_invoice(base);
      base.vat = *base.invoice_total + cents(1);
      break;
    case kSignMismatch:
      make_invoice(base);
      base.declared = -base.declared;
      break;
    case kUnitCostAmount:
      base.category = Category::kExternal;
      base = ExpenseLine{};
      base.line = n;
      base.pos = l.pos;
      base.currency = "EUR";
      base.category = Category::kExternal;
      base.unit_cost = "event-participant-day";
      base.units = Decimal::from_units(1000, 2);
      base.declared = cents(10 * 5100 + 100);
      break;
    case kUnitCostCategory:
      base = ExpenseLine{};
      base.line = n;
      base.pos = l.pos;
      base.currency = "EUR";
      base.category = Category::kEquipment;
      base.unit_cost = "event-participant-day";
      base.units = Decimal::from_units(500, 2);
      base.declared = cents(5 * 5100);
      break;
    case kProcurementMissing: {
      make_invoice(base);
      const Money gross = cents((base.currency == "SEK" ? 11 : 1) * draw.in(1300000, 4000000));
      base.invoice_total = gross;
      base.vat = vat_in(gross, prof.vat_percent);
      base.declared = gross;
      base.procurement_ref.clear();
      break;
    }
    case kDuplicateInvoice: {
      // One of five invoices per project, each declared in full wherever it appears.
      make_invoice(base);
      const std::int64_t k = draw.in(1, 5);
      base.currency = "EUR";
      base.supplier_id = "LV-4000 3999 00" + std::to_string(k);
      base.supplier = "SIA Dubultā";
      base.invoice_no = "DUP-" + std::to_string(project + 1) + "-" + std::to_string(k);
      base.invoice_total = cents(100000 * k);
      base.vat = vat_in(*base.invoice_total, 21);
      base.declared = *base.invoice_total;
      break;
    }
    case kSharedInvoice:
      make_invoice(base);
      base.currency = "EUR";
      base.supplier_id = "LV40003888001";
      base.supplier = "SIA Kopīgā";
      base.invoice_no = "SPLIT-" + std::to_string(project + 1);
      base.invoice_total = cents(1000000);
      base.vat = vat_in(*base.invoice_total, 21);
      base.declared = cents(200000);
      break;
    case kUnknownOrigin:
      base.reincluded_from = "R9." + std::to_string(n);
      break;
    case kStaffUnitWithInvoice:
      base = ExpenseLine{};
      base.line = n;
      base.pos = l.pos;
      base.currency = "EUR";
      base.category = Category::kStaff;
      base.unit_cost = "staff-hour";
      base.units = Decimal::from_units(0, 2);
      base.declared = Money();
      base.invoice_no = "PAYROLL-" + std::to_string(n);
      base.description = "Staff hours with a payroll number";
      break;
    default:
      break;
  }
  return base;
}

void ReportGenerator::for_each_line(int project, int partner, int report, int lines,
                                    const std::function<void(const ExpenseLine&)>& sink) const {
  for (int n = 1; n <= lines; ++n) sink(line(project, partner, report, n));
}

PartnerReport ReportGenerator::report(int project, int partner, int report) const {
  PartnerReport r = header(project, partner, report);
  r.lines.reserve(static_cast<std::size_t>(options_.lines_per_report));
  for_each_line(project, partner, report, options_.lines_per_report,
                [&](const ExpenseLine& l) { r.lines.push_back(l); });
  return r;
}

ControlResult ReportGenerator::control(const PartnerReport& report) const {
  const int project = std::stoi(report.project.substr(3)) - 1;
  ControlResult c;
  c.id = "FLC-" + report.project + "-" + std::to_string(report.partner) + "-" +
         std::to_string(report.report);
  c.project = report.project;
  c.partner = report.partner;
  c.report = report.report;
  c.controller = "Generated controller";
  Draw draw(mix({kControl, project, report.partner, report.report}));
  // Mostly within 90 days; one in eight later (DEADLINE-CONTROLLER).
  c.certified_on = report.submitted_on.plus_days(
      static_cast<int>(draw.percent(12) ? draw.in(91, 150) : draw.in(20, 85)));
  const RateTable table = rates();
  for (const ExpenseLine& l : report.lines) {
    if (l.line <= 2) continue;
    Draw park(mix({kPark, project, report.partner, report.report, l.line}));
    LineDecision d;
    d.line = l.line;
    d.pos = {c.id + ".xml", l.line, 0};
    if (l.reincluded_from.empty() && !l.is_unit_cost() && park.percent(8)) {
      d.parked = true;
      d.comment = "Supporting documents requested";
      c.decisions.push_back(d);
      continue;
    }
    if (l.declared <= Money() || !draw.percent(7)) continue;
    // A tenth of the line's EUR amount, DOWN, as "missing document".
    Money eur = l.declared;
    if (l.currency != "EUR") {
      const ExchangeRate* rate =
          table.find(l.currency, report.submitted_on.year(), report.submitted_on.month());
      eur = convert_to_eur(l.declared, rate->units_per_eur);
    }
    d.deducted = apply_percent(eur, percent(10), Rounding::kDown);
    d.typology = "missing-document";
    d.comment = "Part of the invoice not supported";
    if (!d.deducted.is_zero()) c.decisions.push_back(d);
  }
  return c;
}

void ReportGenerator::fill(GeneratedWorld& world) const {
  world.registry = registry();
  world.programmes = {programme()};
  world.rates = rates();
  world.as_of = ymd(2027, 6, 30);
  const int last = options_.reports_per_partner;
  for (int i = 0; i < options_.projects; ++i) {
    const std::string id = generated_project_id(i);
    for (int p = 1; p <= options_.partners_per_project; ++p) {
      for (int r = 1; r <= last; ++r) {
        world.reports.push_back(report(i, p, r));
        // The last report of each partner is still with the controller.
        if (r < last) world.controls.push_back(control(world.reports.back()));
      }
    }
    // Project reports 1 .. last-2 approved: the last controlled one awaits approval.
    for (int r = 1; r + 1 < last; ++r) {
      ApprovalEvent a;
      a.id = id + "-PR" + std::to_string(r);
      a.project = id;
      a.project_report = r;
      a.date = period_of(r).second.plus_days(150);
      for (int p = 1; p <= options_.partners_per_project; ++p) a.covers.push_back({id, p, r});
      Draw draw(mix({kPayment, i, r}));
      if (draw.percent(30)) {
        // An MA/JS deduction on the staff line of partner 1.
        ApprovalDeduction cut;
        cut.report = PartnerReportRef{id, 1, r};
        cut.line = 1;
        cut.amount = cents(draw.in(100, 5000));
        cut.typology = "ineligible-cost";
        cut.comment = "MA/JS check";
        a.deductions.push_back(cut);
      }
      for (int p = 1; p <= options_.partners_per_project; ++p) {
        PaymentEvent pay;
        pay.id = id + "-PAY-" + std::to_string(p) + "-" + std::to_string(r);
        pay.fund = Fund::kErdf;
        pay.report = {id, p, r};
        pay.payment_ref = "MA-" + std::to_string(r);
        pay.date = a.date.plus_days(30);
        pay.amount = cents(draw.in(100000, 500000));
        world.payments.push_back(pay);
        if (draw.percent(15)) {
          // A payment before the approval (PAYMENT-BEFORE-APPROVAL).
          pay.id += "-EARLY";
          pay.date = a.date.plus_days(-10);
          pay.amount = cents(10000);
          world.payments.push_back(pay);
        }
      }
      world.approvals.push_back(std::move(a));
    }
  }
}

void ReportGenerator::write_report_csv(std::ostream& out, const PartnerReport& report) const {
  out << "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,"
         "units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,"
         "procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n";
  const std::string head = csv_field(report.project) + "," + std::to_string(report.partner) + "," +
                           std::to_string(report.report) + "," + report.period_start.to_string() +
                           "," + report.period_end.to_string() + "," +
                           report.submitted_on.to_string() + ",";
  for (const ExpenseLine& l : report.lines) {
    out << head << l.line << ',' << category_name(l.category) << ',' << l.unit_cost << ','
        << (l.units ? l.units->to_string() : "") << ',' << csv_field(l.internal_ref) << ','
        << csv_field(l.invoice_no) << ',' << (l.invoice_date ? l.invoice_date->to_string() : "")
        << ',' << (l.payment_date ? l.payment_date->to_string() : "") << ','
        << csv_field(l.supplier) << ',' << csv_field(l.supplier_id) << ','
        << csv_field(l.procurement_ref) << ',' << csv_field(l.description) << ','
        << (l.invoice_total ? l.invoice_total->to_string() : "") << ','
        << (l.vat ? l.vat->to_string() : "") << ',' << l.declared.to_string() << ',' << l.currency
        << ',' << l.reincluded_from << '\n';
  }
}

void ReportGenerator::write_report_csv(std::ostream& out, int project, int partner, int report,
                                       int lines) const {
  // Streams: one line at a time, never the whole report in memory.
  PartnerReport one = header(project, partner, report);
  bool first = true;
  for_each_line(project, partner, report, lines, [&](const ExpenseLine& l) {
    one.lines.assign(1, l);
    std::ostringstream row;
    write_report_csv(row, one);
    std::string text = row.str();
    if (!first) text = text.substr(text.find('\n') + 1);
    out << text;
    first = false;
  });
}

void ReportGenerator::write_report_xml(std::ostream& out, const PartnerReport& report) const {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<partner-report xmlns=\"urn:cofin:report:1\">\n"
      << "  <project>" << xml_attr(report.project) << "</project>\n"
      << "  <partner>" << report.partner << "</partner>\n"
      << "  <report>" << report.report << "</report>\n"
      << "  <period-start>" << report.period_start.to_string() << "</period-start>\n"
      << "  <period-end>" << report.period_end.to_string() << "</period-end>\n"
      << "  <submitted-on>" << report.submitted_on.to_string() << "</submitted-on>\n";
  for (const ExpenseLine& l : report.lines) {
    out << "  <line line=\"" << l.line << "\" category=\"" << category_name(l.category) << '"';
    auto attr = [&](const char* name, const std::string& value) {
      if (!value.empty()) out << ' ' << name << "=\"" << xml_attr(value) << '"';
    };
    attr("unit-cost", l.unit_cost);
    attr("units", l.units ? l.units->to_string() : "");
    attr("internal-ref", l.internal_ref);
    attr("invoice-no", l.invoice_no);
    attr("invoice-date", l.invoice_date ? l.invoice_date->to_string() : "");
    attr("payment-date", l.payment_date ? l.payment_date->to_string() : "");
    attr("supplier", l.supplier);
    attr("supplier-id", l.supplier_id);
    attr("procurement-ref", l.procurement_ref);
    attr("description", l.description);
    attr("invoice-total", l.invoice_total ? l.invoice_total->to_string() : "");
    attr("vat", l.vat ? l.vat->to_string() : "");
    attr("declared", l.declared.to_string());
    attr("currency", l.currency);
    attr("reincluded-from", l.reincluded_from);
    out << "/>\n";
  }
  out << "</partner-report>\n";
}

void ReportGenerator::write_control_xml(std::ostream& out, const ControlResult& c) const {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<control-result xmlns=\"urn:cofin:control:1\">\n"
      << "  <id>" << c.id << "</id>\n  <project>" << c.project << "</project>\n  <partner>"
      << c.partner << "</partner>\n  <report>" << c.report << "</report>\n  <controller>"
      << xml_attr(c.controller) << "</controller>\n  <certified-on>" << c.certified_on.to_string()
      << "</certified-on>\n";
  if (!c.replaces.empty()) out << "  <replaces>" << c.replaces << "</replaces>\n";
  for (const LineDecision& d : c.decisions) {
    if (d.parked) {
      out << "  <parked line=\"" << d.line << "\" comment=\"" << xml_attr(d.comment) << "\"/>\n";
    } else {
      out << "  <deducted line=\"" << d.line << "\" amount=\"" << d.deducted.to_string()
          << "\" typology=\"" << d.typology << "\" comment=\"" << xml_attr(d.comment) << "\"/>\n";
    }
  }
  out << "</control-result>\n";
}

void ReportGenerator::write_events_xml(std::ostream& out,
                                       const std::vector<ApprovalEvent>& approvals,
                                       const std::vector<PaymentEvent>& payments) const {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<events xmlns=\"urn:cofin:events:1\">\n";
  for (const ApprovalEvent& a : approvals) {
    out << "  <approved id=\"" << a.id << "\" project=\"" << a.project << "\" project-report=\""
        << a.project_report << "\" date=\"" << a.date.to_string() << "\">\n";
    for (const PartnerReportRef& r : a.covers) {
      out << "    <covers partner=\"" << r.partner << "\" report=\"" << r.report << "\"/>\n";
    }
    for (const ApprovalDeduction& d : a.deductions) {
      out << "    <deduction partner=\"" << d.report.partner << "\" report=\"" << d.report.report
          << "\" line=\"" << d.line << "\" amount=\"" << d.amount.to_string() << "\" typology=\""
          << d.typology << "\" comment=\"" << xml_attr(d.comment) << "\"/>\n";
    }
    out << "  </approved>\n";
  }
  for (const PaymentEvent& p : payments) {
    out << "  <" << (p.fund == Fund::kErdf ? "erdf-paid" : "state-paid") << " id=\"" << p.id
        << "\" project=\"" << p.report.project << "\" partner=\"" << p.report.partner
        << "\" report=\"" << p.report.report << "\" payment-ref=\"" << p.payment_ref << "\" date=\""
        << p.date.to_string() << "\" amount=\"" << p.amount.to_string() << "\"/>\n";
  }
  out << "</events>\n";
}

void ReportGenerator::write_registry_xml(std::ostream& out) const {
  const Registry reg = registry();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<registry xmlns=\"urn:cofin:registry:1\">\n";
  for (const Project& p : reg.projects) {
    out << "  <project id=\"" << p.id << "\" acronym=\"" << p.acronym << "\" programme=\""
        << p.programme_id << "\" start=\"" << p.start.to_string() << "\" end=\""
        << p.end.to_string() << "\" total-cost=\"" << p.total_cost.to_string() << "\">\n";
    for (const Partner& n : p.partners) {
      out << "    <partner number=\"" << n.number << "\" name=\"" << xml_attr(n.name)
          << "\" registration-no=\"" << n.registration_no << "\" country=\"" << n.country
          << "\" legal-status=\"" << legal_status_name(n.legal_status) << "\" state-aid-relevant=\""
          << (n.state_aid_relevant ? "true" : "false") << "\" vat-recoverable=\""
          << (n.vat_recoverable ? "true" : "false") << "\" currency=\"" << n.currency
          << "\" erdf-rate=\"" << n.erdf_rate.to_string() << '"';
      if (n.state_granted) out << " state-granted=\"" << n.state_granted->to_string() << '"';
      out << ">\n";
      for (const auto& [category, amount] : n.budget) {
        out << "      <budget category=\"" << category_name(category) << "\" amount=\""
            << amount.to_string() << "\"/>\n";
      }
      out << "    </partner>\n";
    }
    for (const ReportingPeriod& k : p.periods) {
      out << "    <period number=\"" << k.number << "\" start=\"" << k.start.to_string()
          << "\" end=\"" << k.end.to_string() << "\" submission-deadline=\""
          << k.submission_deadline.to_string() << "\"/>\n";
    }
    out << "  </project>\n";
  }
  out << "</registry>\n";
}

void ReportGenerator::write_rates_csv(std::ostream& out) const {
  out << "currency,year,month,units_per_eur\n";
  for (const ExchangeRate& r : rates().all()) {
    out << r.currency << ',' << r.year << ',' << r.month << ',' << r.units_per_eur.to_string()
        << '\n';
  }
}

}  // namespace cofin::testing
