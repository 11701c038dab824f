// Each line rule: one line that triggers it, one that does not (domain §4).
#include <catch2/catch.hpp>

#include "rules/line_rules.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

struct Lines {
  ProgrammeRules rules = central_baltic();
  Project project = cb_project();
  PartnerReport report;

  Lines() { report = first_report(project); }

  std::vector<Diagnostic> check(const ExpenseLine& l, std::optional<Money> eur = std::nullopt) {
    const std::vector<FlatRate> flat = flat_rates_in_force(rules, project.partners[0]);
    const LineContext c{report, project, project.partners[0], rules, flat};
    return check_line(c, l, eur.value_or(l.declared));
  }
  bool fires(const ExpenseLine& l, const std::string& id) {
    for (const Diagnostic& d : check(l)) {
      if (d.rule_id == id) return true;
    }
    return false;
  }
  const Diagnostic* find(const std::vector<Diagnostic>& ds, const std::string& id) {
    for (const Diagnostic& d : ds) {
      if (d.rule_id == id) return &d;
    }
    return nullptr;
  }
};

ExpenseLine good_invoice(int n = 1, Money amount = eur(100000)) {
  return invoice_line(n, Category::kExternal, amount, "2024-03-01", "2024-03-15");
}

}  // namespace

TEST_CASE("a clean invoice line and a clean unit-cost line have no findings", "[rules]") {
  Lines t;
  CHECK(t.check(good_invoice()).empty());
  CHECK(t.check(unit_line(2, Category::kStaff, "staff-hour", "10", eur(24000))).empty());
}

TEST_CASE("CAT-NOT-ALLOWED fires for a category the programme lacks", "[rules]") {
  Lines t;
  t.rules.categories.pop_back();  // no infrastructure
  CHECK(t.fires(invoice_line(1, Category::kInfrastructure, eur(1000), "2024-03-01", "2024-03-02"),
                "CAT-NOT-ALLOWED"));
  CHECK_FALSE(t.fires(good_invoice(), "CAT-NOT-ALLOWED"));
}

TEST_CASE("CAT-FLAT-RATE-COVERED fires for real office costs under an office flat rate",
          "[rules]") {
  Lines t;
  const ExpenseLine office =
      invoice_line(1, Category::kOffice, eur(9680), "2024-03-01", "2024-03-02");
  const auto ds = t.check(office);
  const Diagnostic* d = t.find(ds, "CAT-FLAT-RATE-COVERED");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kError);
  CHECK(d->amount == eur(9680));  // the whole line is ineligible
  t.rules.flat_rates.clear();
  t.rules.categories[1].real_costs = true;
  CHECK_FALSE(t.fires(office, "CAT-FLAT-RATE-COVERED"));
}

TEST_CASE("CAT-REAL-NOT-ALLOWED fires for real staff costs where only unit costs apply",
          "[rules]") {
  Lines t;
  ExpenseLine staff = line(1, Category::kStaff, eur(300000));
  staff.payment_date = day("2024-03-01");
  CHECK(t.fires(staff, "CAT-REAL-NOT-ALLOWED"));
  t.rules.categories[0].real_costs = true;
  CHECK_FALSE(t.fires(staff, "CAT-REAL-NOT-ALLOWED"));
}

TEST_CASE("STAFF-INVOICE warns on a staff line with an invoice number", "[rules]") {
  Lines t;
  ExpenseLine staff = unit_line(1, Category::kStaff, "staff-hour", "10", eur(24000));
  CHECK_FALSE(t.fires(staff, "STAFF-INVOICE"));
  staff.invoice_no = "R-1";
  CHECK(t.fires(staff, "STAFF-INVOICE"));
}

TEST_CASE("STAFF-RATE-UNCHECKED says a real staff cost's hourly rate was not checked", "[rules]") {
  Lines t;
  t.rules.categories[0].real_costs = true;
  ExpenseLine staff = line(1, Category::kStaff, eur(300000));
  staff.payment_date = day("2024-03-01");
  const auto ds = t.check(staff);
  const Diagnostic* d = t.find(ds, "STAFF-RATE-UNCHECKED");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kInfo);
  CHECK(d->message.find("1,720") != std::string::npos);
  CHECK_FALSE(t.fires(unit_line(1, Category::kStaff, "staff-hour", "10", eur(24000)),
                      "STAFF-RATE-UNCHECKED"));
}

TEST_CASE("ELIG-PERIOD fires for invoices or payments outside the project or window", "[rules]") {
  Lines t;
  CHECK(t.fires(invoice_line(1, Category::kExternal, eur(1000), "2023-12-31", "2024-01-05"),
                "ELIG-PERIOD"));
  CHECK(t.fires(invoice_line(1, Category::kExternal, eur(1000), "2024-03-01", "2027-01-01"),
                "ELIG-PERIOD"));
  t.rules.window_end = day("2024-02-28");  // the programme window ends before the project
  CHECK(t.fires(good_invoice(), "ELIG-PERIOD"));
  t.rules.window_end = day("2029-12-31");
  CHECK_FALSE(t.fires(invoice_line(1, Category::kExternal, eur(1000), "2024-01-01", "2024-01-01"),
                      "ELIG-PERIOD"));
}

TEST_CASE("ELIG-NOT-PAID fires for a line without payment date", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice();
  CHECK_FALSE(t.fires(l, "ELIG-NOT-PAID"));
  l.payment_date.reset();
  CHECK(t.fires(l, "ELIG-NOT-PAID"));
}

TEST_CASE("ELIG-PAYMENT-BEFORE-INVOICE fires when paid before invoiced", "[rules]") {
  Lines t;
  CHECK(t.fires(invoice_line(1, Category::kExternal, eur(1000), "2024-03-05", "2024-03-04"),
                "ELIG-PAYMENT-BEFORE-INVOICE"));
  CHECK_FALSE(t.fires(invoice_line(1, Category::kExternal, eur(1000), "2024-03-05", "2024-03-05"),
                      "ELIG-PAYMENT-BEFORE-INVOICE"));
}

TEST_CASE("ELIG-REPORT-PERIOD warns when paid outside the report period but not when re-included",
          "[rules]") {
  Lines t;
  ExpenseLine l = invoice_line(1, Category::kExternal, eur(1000), "2024-06-20", "2024-07-02");
  const auto ds = t.check(l);
  const Diagnostic* d = t.find(ds, "ELIG-REPORT-PERIOD");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kWarning);
  l.reincluded_from = "R0.1";
  CHECK_FALSE(t.fires(l, "ELIG-REPORT-PERIOD"));
  CHECK_FALSE(t.fires(good_invoice(), "ELIG-REPORT-PERIOD"));
}

TEST_CASE("AMOUNT-RANGE fires beyond the Jems range", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice(1, eur(Money::kMaxAmountCents));
  CHECK_FALSE(t.fires(l, "AMOUNT-RANGE"));
  l.invoice_total = eur(Money::kMaxAmountCents + 1);
  CHECK(t.fires(l, "AMOUNT-RANGE"));
}

TEST_CASE("AMOUNT-SIGN fires when declared and invoice total differ in sign", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice();
  l.declared = eur(-100000);
  CHECK(t.fires(l, "AMOUNT-SIGN"));
  // A credit note: all three negative, compared on magnitudes.
  ExpenseLine credit = good_invoice(2, eur(-100000));
  credit.vat = eur(-17355);
  CHECK(t.check(credit).empty());
}

TEST_CASE("AMOUNT-DECLARED-OVER-INVOICE affects only the excess", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice();
  l.declared = eur(120000);
  const auto ds = t.check(l);
  const Diagnostic* d = t.find(ds, "AMOUNT-DECLARED-OVER-INVOICE");
  REQUIRE(d != nullptr);
  CHECK(d->amount == eur(20000));
  CHECK(ineligible_amount(ds, l.declared) == eur(20000));
  CHECK_FALSE(t.fires(good_invoice(), "AMOUNT-DECLARED-OVER-INVOICE"));
  // Negative: magnitudes.
  ExpenseLine credit = good_invoice(2, eur(-100000));
  credit.declared = eur(-90000);
  CHECK_FALSE(t.fires(credit, "AMOUNT-DECLARED-OVER-INVOICE"));
}

TEST_CASE("AMOUNT-VAT-OVER-INVOICE fires when VAT exceeds the invoice", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice();
  l.vat = eur(100001);
  CHECK(t.fires(l, "AMOUNT-VAT-OVER-INVOICE"));
  l.vat = eur(17355);
  CHECK_FALSE(t.fires(l, "AMOUNT-VAT-OVER-INVOICE"));
}

TEST_CASE("UNIT-COST-CATEGORY fires for a unit cost declared in another category", "[rules]") {
  Lines t;
  CHECK(t.fires(unit_line(1, Category::kEquipment, "event-participant-day", "2", eur(10200)),
                "UNIT-COST-CATEGORY"));
  CHECK_FALSE(t.fires(unit_line(1, Category::kExternal, "event-participant-day", "2", eur(10200)),
                      "UNIT-COST-CATEGORY"));
}

TEST_CASE("UNIT-COST-AMOUNT uses DOWN and cuts only an excess", "[rules]") {
  Lines t;
  // 3.33 h × 0.23 = 0.7659 → DOWN 0.76.
  CHECK_FALSE(t.fires(unit_line(1, Category::kEquipment, "equipment-staff-hour", "3.33", eur(76)),
                      "UNIT-COST-AMOUNT"));
  const auto over =
      t.check(unit_line(1, Category::kEquipment, "equipment-staff-hour", "3.33", eur(77)));
  const Diagnostic* d = t.find(over, "UNIT-COST-AMOUNT");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kError);
  CHECK(d->amount == eur(1));
  // Declaring less than the units are worth is the partner's loss: a warning only.
  const auto under =
      t.check(unit_line(1, Category::kEquipment, "equipment-staff-hour", "3.33", eur(70)));
  REQUIRE(t.find(under, "UNIT-COST-AMOUNT") != nullptr);
  CHECK(t.find(under, "UNIT-COST-AMOUNT")->severity == Severity::kWarning);
}

TEST_CASE("VAT-RECOVERABLE cuts recoverable VAT at or above the threshold only", "[rules]") {
  Lines t;
  t.project.partners[0].vat_recoverable = true;
  ExpenseLine l = good_invoice(1, eur(121000));
  l.vat = eur(21000);
  CHECK_FALSE(t.fires(l, "VAT-RECOVERABLE"));  // project 1.2 M < 5 M: VAT eligible
  t.project.total_cost = eur(500000000);       // exactly EUR 5 M: only non-recoverable VAT
  const auto ds = t.check(l);
  const Diagnostic* d = t.find(ds, "VAT-RECOVERABLE");
  REQUIRE(d != nullptr);
  CHECK(d->amount == eur(21000));
  // Half the invoice declared: HALF_UP(210.00 × 605.00 / 1,210.00) = 105.00.
  l.declared = eur(60500);
  CHECK(t.find(t.check(l), "VAT-RECOVERABLE")->amount == eur(10500));
  // A state-aid-relevant partner never claims recoverable VAT, below the threshold too.
  t.project.total_cost = eur(100000000);
  t.project.partners[0].vat_recoverable = false;
  t.project.partners[0].state_aid_relevant = true;
  CHECK(t.fires(l, "VAT-RECOVERABLE"));
}

TEST_CASE("PROCUREMENT-REF-MISSING compares the net amount with the threshold", "[rules]") {
  Lines t;
  ExpenseLine l = good_invoice(1, eur(1210000));  // gross 12,100.00
  l.vat = eur(210000);                            // net 10,000.00: not above
  CHECK_FALSE(t.fires(l, "PROCUREMENT-REF-MISSING"));
  l.invoice_total = eur(1210001);
  l.declared = eur(1210001);
  CHECK(t.fires(l, "PROCUREMENT-REF-MISSING"));
  l.procurement_ref = "IUB 2024/17";
  CHECK_FALSE(t.fires(l, "PROCUREMENT-REF-MISSING"));
}
