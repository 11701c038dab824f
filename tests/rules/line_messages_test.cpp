// Every line rule's finding, field by field, message text included (src/rules/line_rules.cpp):
// the texts are built piece by piece into one string, and these pin them to what the rules have
// always written (the Findings sheet and the ledger show them; auditors compare runs).
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/line_rules.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

// What a line is checked in; a scenario changes what it needs.
struct Checked {
  ProgrammeRules rules = central_baltic();
  Project project = cb_project();
  std::optional<Money> eur;  // the line's EUR amount; none: its declared amount (EUR)
};

struct Expected {
  Severity severity;
  const char* rule_id;
  const char* file;
  int line;
  int column;
  const char* field;
  const char* message;
  std::int64_t amount_cents;
  int line_no;
};

// One line per line rule and message variant, with the findings it must have, in order.
struct Scenario {
  const char* name;
  ExpenseLine (*make)(Checked& t);
  std::vector<Expected> findings;
};

ExpenseLine paid_invoice(int n, Money amount) {
  return invoice_line(n, Category::kExternal, amount, "2024-03-01", "2024-03-15");
}

const std::vector<Scenario> kScenarios = {
    {"CAT-NOT-ALLOWED",
     [](Checked& t) {
       t.rules.categories.pop_back();
       return invoice_line(123456, Category::kInfrastructure, eur(1000), "2024-03-01",
                           "2024-03-02");
     },
     {
         {Severity::kError, "CAT-NOT-ALLOWED", "report.csv", 123457, 0, "category",
          "line 123456: category 'infrastructure' is not allowed in central-baltic-2021-2027", 1000,
          123456},
     }},
    {"STAFF-INVOICE invoice-no",
     [](Checked&) {
       ExpenseLine l = unit_line(2, Category::kStaff, "staff-hour", "10", eur(24000));
       l.invoice_no = "R-1";
       return l;
     },
     {
         {Severity::kWarning, "STAFF-INVOICE", "report.csv", 3, 0, "invoice-no",
          "line 2: staff line carries an invoice number or VAT", 0, 2},
     }},
    {"STAFF-INVOICE vat",
     [](Checked&) {
       ExpenseLine l = unit_line(3, Category::kStaff, "staff-hour", "10", eur(24000));
       l.vat = eur(100);
       return l;
     },
     {
         {Severity::kWarning, "STAFF-INVOICE", "report.csv", 4, 0, "vat",
          "line 3: staff line carries an invoice number or VAT", 0, 3},
     }},
    {"CAT-FLAT-RATE-COVERED",
     [](Checked&) {
       return invoice_line(4, Category::kOffice, eur(9680), "2024-03-01", "2024-03-02");
     },
     {
         {Severity::kError, "CAT-FLAT-RATE-COVERED", "report.csv", 5, 0, "category",
          "line 4: real costs in 'office' are covered by the flat rate office-on-staff", 9680, 4},
     }},
    {"CAT-REAL-NOT-ALLOWED",
     [](Checked&) {
       ExpenseLine l = line(-7, Category::kStaff, eur(300000));
       l.payment_date = day("2024-03-01");
       return l;
     },
     {
         {Severity::kError, "CAT-REAL-NOT-ALLOWED", "report.csv", -6, 0, "category",
          "line -7: category 'staff' takes no real costs in central-baltic-2021-2027 (unit cost or "
          "flat rate only)",
          300000, -7},
     }},
    {"STAFF-RATE-UNCHECKED",
     [](Checked& t) {
       t.rules.categories[0].real_costs = true;
       ExpenseLine l = line(6, Category::kStaff, eur(300000));
       l.payment_date = day("2024-03-01");
       return l;
     },
     {
         {Severity::kInfo, "STAFF-RATE-UNCHECKED", "report.csv", 7, 0, "declared",
          "line 6: staff real cost: the hourly rate (annual gross cost / 1,720 h) cannot be "
          "checked, the line carries no hours or annual cost",
          0, 6},
     }},
    {"ELIG-PERIOD invoice-date",
     [](Checked&) {
       return invoice_line(7, Category::kExternal, eur(1000), "2023-12-31", "2024-01-05");
     },
     {
         {Severity::kError, "ELIG-PERIOD", "report.csv", 8, 0, "invoice-date",
          "line 7: invoice date 2023-12-31 outside the project period 2024-01-01..2026-12-31 or "
          "the programme window",
          1000, 7},
     }},
    {"ELIG-NOT-PAID",
     [](Checked&) {
       ExpenseLine l = paid_invoice(8, eur(1000));
       l.payment_date.reset();
       return l;
     },
     {
         {Severity::kError, "ELIG-NOT-PAID", "report.csv", 9, 0, "payment-date",
          "line 8: no payment date: only costs paid by the partner are eligible", 1000, 8},
     }},
    {"ELIG-PERIOD payment-date",
     [](Checked& t) {
       t.rules.window_end = day("2026-06-30");
       return invoice_line(9, Category::kExternal, eur(1000), "2024-03-01", "2026-07-01");
     },
     {
         {Severity::kError, "ELIG-PERIOD", "report.csv", 10, 0, "payment-date",
          "line 9: payment date 2026-07-01 outside the project period 2024-01-01..2026-12-31 or "
          "the programme window",
          1000, 9},
     }},
    {"ELIG-PAYMENT-BEFORE-INVOICE",
     [](Checked&) {
       return invoice_line(10, Category::kExternal, eur(1000), "2024-03-05", "2024-03-04");
     },
     {
         {Severity::kError, "ELIG-PAYMENT-BEFORE-INVOICE", "report.csv", 11, 0, "payment-date",
          "line 10: paid 2024-03-04 before the invoice date 2024-03-05", 1000, 10},
     }},
    {"ELIG-REPORT-PERIOD",
     [](Checked&) {
       return invoice_line(11, Category::kExternal, eur(1000), "2024-06-20", "2024-07-02");
     },
     {
         {Severity::kWarning, "ELIG-REPORT-PERIOD", "report.csv", 12, 0, "payment-date",
          "line 11: paid 2024-07-02, outside the report period 2024-01-01..2024-06-30", 0, 11},
     }},
    {"AMOUNT-RANGE declared",
     [](Checked&) {
       ExpenseLine l = paid_invoice(12, eur(100000));
       l.declared = eur(-Money::kMaxAmountCents - 1);
       return l;
     },
     {
         {Severity::kError, "AMOUNT-RANGE", "report.csv", 13, 0, "declared",
          "line 12: declared -1000000000.00 is beyond +-999,999,999.99", -100000000000, 12},
     }},
    {"AMOUNT-RANGE invoice-total",
     [](Checked&) {
       ExpenseLine l = paid_invoice(13, eur(100000));
       l.invoice_total = eur(Money::kMaxAmountCents + 1);
       return l;
     },
     {
         {Severity::kError, "AMOUNT-RANGE", "report.csv", 14, 0, "invoice-total",
          "line 13: invoice-total 1000000000.00 is beyond +-999,999,999.99", 100000, 13},
         {Severity::kWarning, "PROCUREMENT-REF-MISSING", "report.csv", 14, 0, "procurement-ref",
          "line 13: net 1000000000.00 EUR exceeds the procurement threshold 10000.00 EUR but no "
          "procurement reference",
          0, 13},
     }},
    {"AMOUNT-RANGE vat",
     [](Checked&) {
       ExpenseLine l = paid_invoice(14, eur(100000));
       l.vat = eur(Money::kMaxAmountCents + 250);
       return l;
     },
     {
         {Severity::kError, "AMOUNT-RANGE", "report.csv", 15, 0, "vat",
          "line 14: vat 1000000002.49 is beyond +-999,999,999.99", 100000, 14},
         {Severity::kWarning, "PROCUREMENT-REF-MISSING", "report.csv", 15, 0, "procurement-ref",
          "line 14: net 999999002.49 EUR exceeds the procurement threshold 10000.00 EUR but no "
          "procurement reference",
          0, 14},
     }},
    {"AMOUNT-SIGN",
     [](Checked&) {
       ExpenseLine l = paid_invoice(15, eur(100000));
       l.declared = eur(-100000);
       return l;
     },
     {
         {Severity::kError, "AMOUNT-SIGN", "report.csv", 16, 0, "declared",
          "line 15: declared, VAT and invoice total must share one sign (declared -1000.00, "
          "invoice total 1000.00)",
          -100000, 15},
     }},
    {"AMOUNT-DECLARED-OVER-INVOICE and AMOUNT-VAT-OVER-INVOICE",
     [](Checked& t) {
       ExpenseLine l = paid_invoice(16, eur(100000));
       l.declared = eur(120005);
       l.vat = eur(100001);
       l.currency = "SEK";
       t.eur = eur(10483);
       return l;
     },
     {
         {Severity::kError, "AMOUNT-DECLARED-OVER-INVOICE", "report.csv", 17, 0, "declared",
          "line 16: declared 1200.05 exceeds the invoice total 1000.00 by 200.05 SEK", 1748, 16},
         {Severity::kError, "AMOUNT-VAT-OVER-INVOICE", "report.csv", 17, 0, "vat",
          "line 16: VAT 1000.01 exceeds the invoice total 1000.00", 0, 16},
     }},
    {"UNIT-COST-CATEGORY",
     [](Checked&) {
       return unit_line(17, Category::kEquipment, "event-participant-day", "2", eur(10200));
     },
     {
         {Severity::kError, "UNIT-COST-CATEGORY", "report.csv", 18, 0, "unit-cost",
          "line 17: unit cost 'event-participant-day' belongs to 'external', not 'equipment'",
          10200, 17},
     }},
    {"UNIT-COST-AMOUNT error",
     [](Checked&) {
       return unit_line(18, Category::kEquipment, "equipment-staff-hour", "3.33", eur(77));
     },
     {
         {Severity::kError, "UNIT-COST-AMOUNT", "report.csv", 19, 0, "declared",
          "line 18: declared 0.77 but 3.33 staff hour x 0.23 = 0.76 (DOWN)", 1, 18},
     }},
    {"UNIT-COST-AMOUNT warning",
     [](Checked&) {
       return unit_line(19, Category::kEquipment, "equipment-staff-hour", "3.33", eur(70));
     },
     {
         {Severity::kWarning, "UNIT-COST-AMOUNT", "report.csv", 20, 0, "declared",
          "line 19: declared 0.70 but 3.33 staff hour x 0.23 = 0.76 (DOWN)", 0, 19},
     }},
    {"VAT-RECOVERABLE large project",
     [](Checked& t) {
       t.project.partners[0].vat_recoverable = true;
       t.project.total_cost = eur(500000000);
       ExpenseLine l = paid_invoice(20, eur(121000));
       l.vat = eur(21000);
       l.declared = eur(60500);
       return l;
     },
     {
         {Severity::kError, "VAT-RECOVERABLE", "report.csv", 21, 0, "vat",
          "line 20: VAT 105.00 EUR is not eligible (recoverable VAT in a project of 5000000.00 "
          "EUR, threshold 5000000.00)",
          10500, 20},
     }},
    {"VAT-RECOVERABLE state aid",
     [](Checked& t) {
       t.project.partners[0].state_aid_relevant = true;
       ExpenseLine l = paid_invoice(21, eur(121000));
       l.vat = eur(21000);
       l.currency = "SEK";
       t.eur = eur(10570);
       return l;
     },
     {
         {Severity::kError, "VAT-RECOVERABLE", "report.csv", 22, 0, "vat",
          "line 21: VAT 210.00 SEK is not eligible (state-aid-relevant partner)", 1834, 21},
     }},
    {"PROCUREMENT-REF-MISSING",
     [](Checked&) {
       ExpenseLine l = paid_invoice(22, eur(1210001));
       l.vat = eur(210000);
       return l;
     },
     {
         {Severity::kWarning, "PROCUREMENT-REF-MISSING", "report.csv", 23, 0, "procurement-ref",
          "line 22: net 10000.01 EUR exceeds the procurement threshold 10000.00 EUR but no "
          "procurement reference",
          0, 22},
     }},
};

std::vector<Diagnostic> checked(const Scenario& s, std::vector<Diagnostic>* into = nullptr,
                                std::vector<Diagnostic>* spare = nullptr) {
  Checked t;
  const ExpenseLine l = s.make(t);
  const PartnerReport report = first_report(t.project);
  const std::vector<FlatRate> flat = flat_rates_in_force(t.rules, t.project.partners[0]);
  const LineContext c{report, t.project, t.project.partners[0], t.rules, flat};
  if (into != nullptr) check_line_into(c, l, t.eur.value_or(l.declared), *into, spare);
  return check_line(c, l, t.eur.value_or(l.declared));
}

void require_same(const Diagnostic& d, const Expected& e) {
  CHECK(d.severity == e.severity);
  CHECK(d.rule_id == e.rule_id);
  CHECK(d.file == e.file);
  CHECK(d.line == e.line);
  CHECK(d.column == e.column);
  CHECK(d.field == e.field);
  CHECK(d.message == e.message);
  REQUIRE(d.amount.has_value());
  CHECK(d.amount->cents() == e.amount_cents);
  CHECK(d.line_no == e.line_no);
}

}  // namespace

TEST_CASE("every line rule writes its finding exactly as pinned, message text included",
          "[rules]") {
  for (const Scenario& s : kScenarios) {
    INFO(s.name);
    const std::vector<Diagnostic> found = checked(s);
    REQUIRE(found.size() == s.findings.size());
    for (std::size_t k = 0; k < found.size(); ++k) require_same(found[k], s.findings[k]);
  }
}

TEST_CASE("check_line_into appends what check_line returns after what the vector holds",
          "[rules]") {
  // A report's findings collect line after line in one vector: the earlier ones stay as they
  // are, each line's follow in order.
  std::vector<Diagnostic> all;
  Diagnostic earlier;
  earlier.rule_id = "EARLIER";
  earlier.message = std::string(80, 'e');
  all.push_back(earlier);
  std::vector<Expected> expected;
  for (const Scenario& s : kScenarios) {
    checked(s, &all);
    expected.insert(expected.end(), s.findings.begin(), s.findings.end());
  }
  REQUIRE(all.size() == 1 + expected.size());
  CHECK(all[0].rule_id == "EARLIER");
  CHECK(all[0].message == earlier.message);
  for (std::size_t k = 0; k < expected.size(); ++k) {
    INFO("finding " << k);
    require_same(all[k + 1], expected[k]);
  }
}

TEST_CASE("check_line_into builds over spare findings exactly what check_line returns", "[rules]") {
  // Spent findings of an earlier report, every field holding something else: each new finding
  // takes one from the back and must overwrite all of it.
  std::vector<Diagnostic> spare(3);
  for (Diagnostic& d : spare) {
    d.severity = Severity::kInfo;
    d.rule_id = "A-SPENT-RULE-ID-LONGER-THAN-SSO";
    d.file = std::string(70, 'f');
    d.line = 999;
    d.column = 77;
    d.field = "a-spent-field-name-longer-than-sso";
    d.message = std::string(200, 'm');
    d.amount = eur(-123456);
    d.line_no = 555;
  }
  std::vector<Diagnostic> all;
  std::vector<Expected> expected;
  std::size_t taken = 0;
  for (const Scenario& s : kScenarios) {
    const std::size_t before = spare.size();
    checked(s, &all, &spare);
    taken += before - spare.size();
    expected.insert(expected.end(), s.findings.begin(), s.findings.end());
  }
  CHECK(taken == 3);  // all spares used, then new ones
  CHECK(spare.empty());
  REQUIRE(all.size() == expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    INFO("finding " << k);
    require_same(all[k], expected[k]);
  }
}
